namespace Berth.Compose.Loader;

/// <summary>State shared by one load: the interpolation environment, home directory for "~", and collected warnings.</summary>
internal sealed class LoadContext(IReadOnlyDictionary<string, string> environment, string? home, bool interpolate, Stack<string>? fileChain = null)
{
    public IReadOnlyDictionary<string, string> Environment { get; } = environment;
    public string? Home { get; } = home;
    public bool Interpolate { get; } = interpolate;
    public List<string> Warnings { get; } = [];

    /// <summary>Files currently being included or extended from, to detect cycles.</summary>
    public Stack<string> FileChain { get; } = fileChain ?? new();

    public bool Lookup(string name, out string value)
    {
        if (Environment.TryGetValue(name, out var v)) { value = v; return true; }
        value = "";
        return false;
    }

    public void Warn(string message)
    {
        if (!Warnings.Contains(message)) Warnings.Add(message);
    }

    /// <summary>Resolves a path from a Compose file: "~" is the home directory, relative paths join the node's base directory.</summary>
    public string ResolvePath(string path, SourceLocation source)
    {
        if ((path == "~" || path.StartsWith("~/", StringComparison.Ordinal)) && Home is not null)
            path = Path.Join(Home, path[1..]);
        return Path.IsPathRooted(path) ? Path.GetFullPath(path) : Path.GetFullPath(Path.Join(source.BaseDir, path));
    }
}
