namespace Berth.Compose.Model;

public sealed record IpamConfig
{
    public string? Driver { get; init; }
    public IReadOnlyList<IpamPool> Config { get; init; } = [];
    public IReadOnlyDictionary<string, string> Options { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
