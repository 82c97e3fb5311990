namespace Berth.Builder.Dockerfile;

/// <summary>The variables an expansion sees, from <c>KEY=VALUE</c> entries; a later entry wins, as in BuildKit's EnvsFromSlice.</summary>
public sealed class ShellEnv
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public ShellEnv(IEnumerable<string> entries)
    {
        foreach (var e in entries)
        {
            var eq = e.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0) _values[e] = "";
            else _values[e[..eq]] = e[(eq + 1)..];
        }
    }

    public static ShellEnv Empty { get; } = new([]);

    public bool TryGet(string name, out string value) => _values.TryGetValue(name, out value!);
}
