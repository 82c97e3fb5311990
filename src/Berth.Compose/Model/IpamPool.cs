namespace Berth.Compose.Model;

public sealed record IpamPool
{
    public string? Subnet { get; init; }
    public string? Gateway { get; init; }
    public string? IpRange { get; init; }
    public IReadOnlyDictionary<string, string> AuxAddresses { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
