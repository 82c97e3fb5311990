namespace Berth.Compose.Model;

public sealed record LoggingConfig
{
    public string? Driver { get; init; }
    public IReadOnlyDictionary<string, string> Options { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
