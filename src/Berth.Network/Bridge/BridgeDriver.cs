using System.Globalization;
using Berth.Network.Ipam;

namespace Berth.Network.Bridge;

/// <summary>Linux bridges and the veth pairs that plug containers into them.</summary>
public static class BridgeDriver
{
    public static bool LinkExists(string name) => Directory.Exists(Path.Combine("/sys/class/net", name));

    /// <summary>Creates the bridge with the gateway address (or fixes up an existing one) and brings it up, in one ip process.</summary>
    public static Task EnsureBridgeAsync(string name, uint gateway, int prefix, int mtu, CancellationToken ct)
    {
        var cidr = $"{Ipv4.Format(gateway)}/{prefix.ToString(CultureInfo.InvariantCulture)}";
        var lines = new List<string>();
        if (!LinkExists(name)) lines.Add($"link add name {name} mtu {mtu.ToString(CultureInfo.InvariantCulture)} type bridge");
        lines.Add($"addr replace {cidr} dev {name}");
        lines.Add($"link set {name} up");
        return IpTool.BatchAsync(lines, force: false, ct);
    }

    public static async Task DeleteLinkAsync(string name, CancellationToken ct)
    {
        if (!LinkExists(name)) return;
        try { await IpTool.RunAsync(["link", "del", name], ct); }
        catch (IOException) when (!LinkExists(name)) { } // gone meanwhile (its namespace died): nothing to delete
    }

    /// <summary>
    /// Creates a veth pair whose host end is enslaved to the bridge and up, and whose other end is created directly in
    /// the namespace of <paramref name="pid"/> as <paramref name="containerIf"/> with the given MAC: one netlink request.
    /// </summary>
    public static Task CreateVethAsync(string hostIf, string bridge, int pid, string containerIf, string mac, int mtu, CancellationToken ct) =>
        IpTool.RunAsync(["link", "add", hostIf, "mtu", mtu.ToString(CultureInfo.InvariantCulture), "master", bridge, "up", "type", "veth",
            "peer", "name", containerIf, "mtu", mtu.ToString(CultureInfo.InvariantCulture), "address", mac, "netns", pid.ToString(CultureInfo.InvariantCulture)], ct);

    public static string NewVethName() => "veth" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..7];
}
