namespace Berth.Compose.Model;

/// <summary>A top-level network. <see cref="Name"/> is the engine name: "PROJECT_KEY" unless <c>name</c> is set or it is external.</summary>
public sealed record NetworkConfig
{
    public required string Name { get; init; }
    public string? Driver { get; init; }
    public IReadOnlyDictionary<string, string> DriverOpts { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    public bool Internal { get; init; }
    public bool Attachable { get; init; }
    public bool? EnableIpv6 { get; init; }
    public IpamConfig? Ipam { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    public bool External { get; init; }
}
