namespace Berth.Builder.Dockerfile;

/// <summary>A here-document attached to RUN/COPY/ADD: <c>Expand</c> is false when the word was quoted (<c>&lt;&lt;"EOF"</c>), <c>Chomp</c> for <c>&lt;&lt;-</c>.</summary>
public sealed record Heredoc(string Name, int FileDescriptor, bool Expand, bool Chomp, string Content);
