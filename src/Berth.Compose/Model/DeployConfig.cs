namespace Berth.Compose.Model;

/// <summary>The parts of service.deploy a single-host engine honours.</summary>
public sealed record DeployConfig
{
    public int? Replicas { get; init; }
    public string? Mode { get; init; }
    public ResourceLimits? Limits { get; init; }
    public ResourceLimits? Reservations { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
