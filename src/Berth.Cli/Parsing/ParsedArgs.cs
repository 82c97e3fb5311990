namespace Berth.Cli.Parsing;

/// <summary>Flags by long name (each occurrence kept in order) and the positional arguments.</summary>
internal sealed class ParsedArgs
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    internal void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var list)) _values[name] = list = [];
        list.Add(value);
    }

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>A boolean flag: present without value or with a true value (<c>--rm</c>, <c>--rm=true</c>).</summary>
    public bool Flag(string name) => _values.TryGetValue(name, out var v) && v[^1] is not ("false" or "0" or "False");

    public string? Value(string name) => _values.TryGetValue(name, out var v) ? v[^1] : null;

    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var v) ? v : [];

    public int? Int(string name)
    {
        var v = Value(name);
        if (v is null) return null;
        return int.TryParse(v, out var i) ? i : throw new UsageException($"invalid argument \"{v}\" for \"--{name}\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax");
    }
}
