namespace Berth.Builder.Dockerfile;

/// <summary>A COPY/ADD source given as a heredoc: a file named <c>Path</c> with <c>Data</c>, expanded unless its word was quoted.</summary>
public sealed record InlineSource(string Path, string Data, bool Expand);
