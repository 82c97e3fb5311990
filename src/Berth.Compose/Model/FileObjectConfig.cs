namespace Berth.Compose.Model;

/// <summary>A top-level config or secret: exactly one of File (absolute), Environment, Content, or External.</summary>
public sealed record FileObjectConfig
{
    public required string Name { get; init; }
    public string? File { get; init; }
    public string? Environment { get; init; }
    public string? Content { get; init; }
    public bool External { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
