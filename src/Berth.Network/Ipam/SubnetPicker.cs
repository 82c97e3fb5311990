using System.Globalization;

namespace Berth.Network.Ipam;

/// <summary>
/// Chooses a subnet for a network created without <c>--subnet</c>, from Docker's default pools (172.18-31.0.0/16, leaving 172.17 to a docker0, then
/// 192.168.0.0/16 in /20s), skipping any that overlaps a subnet already in use or a route of the host (another daemon's
/// bridge, a VPN, the LAN).
/// </summary>
public static class SubnetPicker
{
    public static IEnumerable<Ipv4Subnet> DefaultCandidates()
    {
        for (uint b = 18; b <= 31; b++) yield return new Ipv4Subnet((172u << 24) | (b << 16), 16);
        for (uint c = 0; c < 256; c += 16) yield return new Ipv4Subnet((192u << 24) | (168u << 16) | (c << 8), 20);
    }

    public static Ipv4Subnet? Pick(IEnumerable<Ipv4Subnet> inUse, IEnumerable<Ipv4Subnet>? candidates = null)
    {
        var taken = inUse.ToList();
        foreach (var candidate in candidates ?? DefaultCandidates())
        {
            if (!taken.Any(t => t.Overlaps(candidate))) return candidate;
        }
        return null;
    }

    /// <summary>The host's IPv4 routes other than the default route, from /proc/net/route (hex, little-endian words).</summary>
    public static List<Ipv4Subnet> HostRoutes(string path = "/proc/net/route")
    {
        var routes = new List<Ipv4Subnet>();
        if (!File.Exists(path)) return routes;
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var f = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (f.Length < 8) continue;
            if (!uint.TryParse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var dest)) continue;
            if (!uint.TryParse(f[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask) || mask == 0) continue;
            var prefix = System.Numerics.BitOperations.PopCount(mask);
            routes.Add(new Ipv4Subnet(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(dest), prefix));
        }
        return routes;
    }
}
