namespace Berth.Builder.Dockerfile;

/// <summary>An instruction's <c>--flag[=value]</c> words checked against the flags it accepts, with BuildKit's error wording.</summary>
internal sealed class BuilderFlags(IReadOnlyList<string> args)
{
    private enum Kind { Bool, String, Strings }

    private readonly Dictionary<string, Kind> _declared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public List<string> Used { get; } = [];

    public BuilderFlags Bool(string name) { _declared[name] = Kind.Bool; return this; }
    public BuilderFlags String(string name) { _declared[name] = Kind.String; return this; }
    public BuilderFlags Strings(string name) { _declared[name] = Kind.Strings; return this; }

    public void Parse()
    {
        foreach (var a in args)
        {
            if (a == "--") return;
            if (!a.StartsWith("--", StringComparison.Ordinal)) throw new InvalidOperationException($"arg should start with -- : {a}");
            var eq = a.IndexOf('=', StringComparison.Ordinal);
            var flagName = eq < 0 ? a : a[..eq];
            var value = eq < 0 ? "" : a[(eq + 1)..];
            var name = flagName[2..];
            if (!_declared.TryGetValue(name, out var kind)) throw new InvalidOperationException($"unknown flag: {flagName}");
            if (_values.ContainsKey(name) && kind != Kind.Strings) throw new InvalidOperationException($"duplicate flag specified: {flagName}");
            if (!Used.Contains(name)) Used.Add(name);
            switch (kind)
            {
                case Kind.Bool:
                    if (eq >= 0 && value.Length == 0) throw new InvalidOperationException($"missing a value on flag: {flagName}");
                    var b = value.ToLowerInvariant() switch
                    {
                        "true" or "" => "true",
                        "false" => "false",
                        _ => throw new InvalidOperationException($"expecting boolean value for flag {flagName}, not: {value}"),
                    };
                    _values[name] = [b];
                    break;
                default:
                    if (eq < 0) throw new InvalidOperationException($"missing a value on flag: {flagName}");
                    if (!_values.TryGetValue(name, out var list)) _values[name] = list = [];
                    list.Add(value);
                    break;
            }
        }
    }

    public string GetString(string name) => _values.TryGetValue(name, out var v) ? v[^1] : "";
    public List<string> GetStrings(string name) => _values.TryGetValue(name, out var v) ? [.. v] : [];
    public bool GetBool(string name) => _values.TryGetValue(name, out var v) && v[0] == "true";
    public bool IsUsed(string name) => _values.ContainsKey(name);
}
