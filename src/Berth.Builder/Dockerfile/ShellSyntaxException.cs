namespace Berth.Builder.Dockerfile;

/// <summary>A bad substitution or unterminated quote while expanding a Dockerfile word.</summary>
public sealed class ShellSyntaxException(string message) : Exception(message);
