namespace Berth.Builder.Dockerfile;

/// <summary>A Dockerfile syntax or instruction error; <see cref="Line"/> is 1-based (0 when the file as a whole is at fault).</summary>
public sealed class DockerfileParseException(string message, int line) : Exception(line > 0 ? $"dockerfile parse error on line {line}: {message}" : message)
{
    public int Line { get; } = line;

    /// <summary>The message without the line prefix.</summary>
    public string Detail { get; } = message;
}
