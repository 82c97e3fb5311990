namespace Berth.Compose.Model;

/// <summary>A service's attachment to one network (service.networks.NAME).</summary>
public sealed record ServiceNetworkConfig
{
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public string? Ipv4Address { get; init; }
    public string? Ipv6Address { get; init; }
    public string? MacAddress { get; init; }
    public int Priority { get; init; }
}
