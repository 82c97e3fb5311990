using System.Globalization;
using System.Text;

namespace Berth.Network.Firewall;

/// <summary>
/// Renders the daemon's whole rule set as iptables-restore input for its own chains. Declaring a chain in a
/// <c>--noflush</c> restore empties it first, so each apply replaces the previous set atomically, per table, and the
/// rules of other daemons (and Docker's) are never touched.
/// </summary>
public static class IptablesRenderer
{
    public static string FilterChain(string tag) => "BERTH-" + tag;
    public static string NatChain(string tag) => "BERTH-" + tag;
    public static string PostChain(string tag) => "BERTH-" + tag + "-POST";

    public static string Render(string tag, IReadOnlyList<FirewallNetwork> networks, IReadOnlyList<PortRule> ports)
    {
        var filter = FilterChain(tag);
        var nat = NatChain(tag);
        var post = PostChain(tag);
        var sb = new StringBuilder();
        sb.Append("*filter\n:").Append(filter).Append(" - [0:0]\n");
        // Nothing in or out of an internal network, first.
        foreach (var a in networks.Where(n => n.Internal))
        {
            Line(sb, filter, $"-i {a.Bridge} ! -o {a.Bridge} -j DROP");
            Line(sb, filter, $"-o {a.Bridge} ! -i {a.Bridge} -j DROP");
        }
        // A published port is open to containers of other networks too, through the host's addresses (the DNAT above
        // made the flow; a container address reached directly is still isolated), as Docker allows.
        foreach (var p in ports)
            Line(sb, filter, $"-d {p.ContainerIp}/32 -o {p.Bridge} -p {p.Protocol} -m {p.Protocol} --dport {Num(p.ContainerPort)} -m conntrack --ctstate DNAT -j ACCEPT");
        foreach (var n in networks.Where(n => !n.Internal))
            Line(sb, filter, $"-o {n.Bridge} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
        // Then isolation: no traffic between two of our bridges.
        foreach (var a in networks.Where(n => !n.Internal))
        {
            foreach (var b in networks)
            {
                if (!ReferenceEquals(a, b) && a.Bridge != b.Bridge && !b.Internal) Line(sb, filter, $"-i {a.Bridge} -o {b.Bridge} -j DROP");
            }
        }
        foreach (var p in ports)
            Line(sb, filter, $"-d {p.ContainerIp}/32 ! -i {p.Bridge} -o {p.Bridge} -p {p.Protocol} -m {p.Protocol} --dport {Num(p.ContainerPort)} -j ACCEPT");
        foreach (var n in networks.Where(n => !n.Internal)) Line(sb, filter, $"-i {n.Bridge} -j ACCEPT");
        foreach (var n in networks.Where(n => n.Internal)) Line(sb, filter, $"-i {n.Bridge} -o {n.Bridge} -j ACCEPT");
        sb.Append("COMMIT\n");

        sb.Append("*nat\n:").Append(nat).Append(" - [0:0]\n:").Append(post).Append(" - [0:0]\n");
        foreach (var n in networks.Where(n => !n.Internal && n.Masquerade))
            Line(sb, post, $"-s {n.Subnet} ! -o {n.Bridge} -j MASQUERADE");
        foreach (var p in ports)
        {
            var dest = string.IsNullOrEmpty(p.HostIp) || p.HostIp == "0.0.0.0" ? "" : $"-d {p.HostIp}/32 ";
            Line(sb, nat, $"{dest}! -i {p.Bridge} -p {p.Protocol} -m {p.Protocol} --dport {Num(p.HostPort)} -j DNAT --to-destination {p.ContainerIp}:{Num(p.ContainerPort)}");
        }
        sb.Append("COMMIT\n");
        return sb.ToString();
    }

    /// <summary>The jumps from the built-in chains into ours, as iptables argument lists (table, chain, rule).</summary>
    public static IReadOnlyList<(string Table, string Chain, string[] Rule)> Jumps(string tag) =>
    [
        ("filter", "FORWARD", ["-j", FilterChain(tag)]),
        ("nat", "PREROUTING", ["-m", "addrtype", "--dst-type", "LOCAL", "-j", NatChain(tag)]),
        // Loopback destinations are left to the userland proxy: DNAT from 127.0.0.1 would need route_localnet.
        ("nat", "OUTPUT", ["!", "-d", "127.0.0.0/8", "-m", "addrtype", "--dst-type", "LOCAL", "-j", NatChain(tag)]),
        ("nat", "POSTROUTING", ["-j", PostChain(tag)]),
    ];

    private static void Line(StringBuilder sb, string chain, string rule) => sb.Append("-A ").Append(chain).Append(' ').Append(rule).Append('\n');

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
}
