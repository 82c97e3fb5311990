namespace Berth.Compose.Model;

/// <summary>A top-level volume. <see cref="Name"/> is the engine name: "PROJECT_KEY" unless <c>name</c> is set or it is external.</summary>
public sealed record VolumeConfig
{
    public required string Name { get; init; }
    public string? Driver { get; init; }
    public IReadOnlyDictionary<string, string> DriverOpts { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    public bool External { get; init; }
}
