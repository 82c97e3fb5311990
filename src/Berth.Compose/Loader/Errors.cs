namespace Berth.Compose.Loader;

/// <summary>Builds "file:line: key.path: message" errors.</summary>
internal static class Errors
{
    public static ComposeException At(Node node, string path, string message)
        => new($"{node.Source.Describe()}: {path}: {message}");

    public static ComposeException At(SourceLocation source, string path, string message)
        => new($"{source.Describe()}: {path}: {message}");
}
