namespace Berth.Compose.Loader;

/// <summary>Where a node came from: the file and line for errors, and the directory its relative paths resolve against
/// (the project directory for main files, the included project's directory, or the file's directory for extends).</summary>
internal readonly record struct SourceLocation(string File, int Line, string BaseDir)
{
    public string Describe() => Line > 0 ? $"{System.IO.Path.GetFileName(File)}:{Line}" : System.IO.Path.GetFileName(File);
}
