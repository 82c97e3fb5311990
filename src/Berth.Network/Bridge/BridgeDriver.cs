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

    public static Task DeleteLinkAsync(string name, CancellationToken ct)
    {
        if (!LinkExists(name)) return Task.CompletedTask;
        // One rtnetlink request from the daemon: no `ip` process on the stop path. A link gone meanwhile (its namespace
        // died) is not an error.
        try { RtNetlink.DeleteLink(name); }
        catch (IOException) when (!LinkExists(name)) { }
        catch (IOException e) { return Task.FromException(e); }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Creates a veth pair whose host end is enslaved to the bridge and up, and whose other end is created directly in
    /// the namespace of <paramref name="pid"/> as <paramref name="containerIf"/> with the given MAC: one netlink request.
    /// </summary>
    /// <remarks>Sent as rtnetlink from the daemon (<see cref="RtNetlink"/>) rather than by an `ip` process: this is on every start.</remarks>
    public static Task CreateVethAsync(string hostIf, string bridge, int pid, string containerIf, string mac, int mtu, CancellationToken ct)
    {
        try { RtNetlink.CreateVeth(hostIf, bridge, pid, containerIf, mac, mtu); }
        catch (Exception e) when (e is IOException or ArgumentException) { return Task.FromException(e); }
        return Task.CompletedTask;
    }

    public static string NewVethName() => "veth" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..7];
}
