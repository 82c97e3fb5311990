namespace Berth.Builder.Execution;

/// <summary>One resolved COPY/ADD source: a path relative to <c>Root</c> (the context, another image's root, or a temp dir holding a heredoc).</summary>
internal sealed record CopySource(string Root, string Rel, string Hash, bool IsDirectory, bool NoDecompress = false)
{
    /// <summary>The name a file gets inside a destination directory: the source as written, even when it is a symlink.</summary>
    public string BaseName { get; init; } = Path.GetFileName(Rel.TrimEnd('/'));
}
