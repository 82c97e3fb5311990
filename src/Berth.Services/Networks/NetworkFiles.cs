using System.Text;
using Berth.Network.Ipam;
using Berth.Services.Containers;

namespace Berth.Services.Networks;

/// <summary>/etc/hosts and /etc/resolv.conf of a container on bridge networks, as Docker writes them.</summary>
internal static class NetworkFiles
{
    /// <summary>
    /// Both files, before the runtime bind-mounts them: the default entries, <c>--add-host</c> entries, legacy links'
    /// entries, then one line per network address of the container (Docker adds one as each endpoint joins).
    /// </summary>
    public static void Write(ContainerDocument d, IReadOnlyList<uint> addresses, IReadOnlyList<(string Hosts, string Ip)> links, bool embeddedDns, uint hostGateway)
    {
        var hosts = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::\tip6-localnet\nff00::\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n");
        foreach (var (name, ip) in ExtraHosts(d, hostGateway)) hosts.Append(ip).Append('\t').Append(name).Append('\n');
        foreach (var (names, ip) in links) hosts.Append(ip).Append('\t').Append(names).Append('\n');
        foreach (var a in addresses) hosts.Append(HostsLine(d, a));
        Write(d.HostsPath, hosts.ToString());
        Write(d.ResolvConfPath, ResolvConf(d, embeddedDns));
    }

    /// <summary>A running container joined a network: its address there is added to its /etc/hosts, as Docker does.</summary>
    public static void AddHostsEntry(ContainerDocument d, uint address)
    {
        if (!File.Exists(d.HostsPath)) return;
        // In place (same inode): the file is bind-mounted into the running container, so a rename would not show.
        File.AppendAllText(d.HostsPath, HostsLine(d, address));
    }

    /// <summary>A running container got the embedded DNS server: resolv.conf is rewritten for it in place (it is bind-mounted).</summary>
    public static void UseEmbeddedDns(ContainerDocument d)
    {
        if (File.Exists(d.ResolvConfPath)) File.WriteAllText(d.ResolvConfPath, ResolvConf(d, embeddedDns: true));
    }

    /// <summary>A running container left a network: the line for its address there goes (other lines, even edited ones, stay).</summary>
    public static void RemoveHostsEntry(ContainerDocument d, uint address)
    {
        if (!File.Exists(d.HostsPath)) return;
        var line = HostsLine(d, address).TrimEnd('\n');
        var lines = File.ReadAllLines(d.HostsPath);
        var kept = lines.Where(l => l != line).ToList();
        if (kept.Count == lines.Length) return;
        File.WriteAllText(d.HostsPath, kept.Count == 0 ? "" : string.Join('\n', kept) + "\n");
    }

    /// <summary>
    /// A linked container came back with <paramref name="address"/>: every line whose first name is the link's alias
    /// gets it (moby etchosts.Update: the address before "\talias" followed by a blank or a dot), in place.
    /// </summary>
    public static void UpdateLinkEntry(ContainerDocument d, string alias, uint address)
    {
        if (!File.Exists(d.HostsPath)) return;
        var pattern = new System.Text.RegularExpressions.Regex(@"(\S*)(\t" + System.Text.RegularExpressions.Regex.Escape(alias) + @")(\s|\.)");
        var old = File.ReadAllText(d.HostsPath);
        var updated = pattern.Replace(old, Ipv4.Format(address) + "$2$3");
        // Truncate and rewrite (same inode): the file is bind-mounted into the running container.
        if (updated != old) File.WriteAllText(d.HostsPath, updated);
    }

    /// <summary>"address\thostname" with the domain (FQDN first, then the bare name) as Docker writes it.</summary>
    private static string HostsLine(ContainerDocument d, uint address)
    {
        var names = string.IsNullOrEmpty(d.Config.Hostname) ? d.Id[..12] : d.Config.Hostname;
        if (!string.IsNullOrEmpty(d.Config.Domainname)) names += "." + d.Config.Domainname;
        var dot = names.IndexOf('.');
        if (dot > 0) names += " " + names[..dot];
        return Ipv4.Format(address) + "\t" + names + "\n";
    }

    /// <summary><c>--add-host name:ip</c> (or <c>name=ip</c>), with <c>host-gateway</c> meaning the default bridge's address.</summary>
    public static IEnumerable<(string Name, string Ip)> ExtraHosts(ContainerDocument d, uint hostGateway)
    {
        foreach (var extra in d.HostConfig.ExtraHosts ?? [])
        {
            var sep = extra.IndexOfAny([':', '=']);
            if (sep <= 0) continue;
            var ip = extra[(sep + 1)..].Trim('[', ']');
            yield return (extra[..sep], ip == "host-gateway" ? Ipv4.Format(hostGateway) : ip);
        }
    }

    public static string ResolvConf(ContainerDocument d, bool embeddedDns)
    {
        var h = d.HostConfig;
        var hostLines = File.Exists("/etc/resolv.conf") ? File.ReadAllLines("/etc/resolv.conf") : [];
        var search = h.DnsSearch is { Count: > 0 } s ? s : Values(hostLines, "search");
        var options = h.DnsOptions is { Count: > 0 } o ? [.. o] : Values(hostLines, "options");
        var sb = new StringBuilder();
        if (embeddedDns)
        {
            sb.Append("nameserver 127.0.0.11\n");
            if (!options.Any(x => x.StartsWith("ndots:", StringComparison.Ordinal))) options.Insert(0, "ndots:0");
        }
        else
        {
            // The container cannot reach the host's loopback resolvers; Docker falls back to public ones, which are
            // unreachable here anyway, so the list is simply left without them.
            var servers = h.Dns is { Count: > 0 } dns ? dns : Values(hostLines, "nameserver").Where(ns => !(ns.StartsWith("127.", StringComparison.Ordinal) || ns == "::1")).ToList();
            foreach (var ns in servers) sb.Append("nameserver ").Append(ns).Append('\n');
        }
        if (search.Count > 0) sb.Append("search ").AppendJoin(' ', search).Append('\n');
        if (options.Count > 0) sb.Append("options ").AppendJoin(' ', options).Append('\n');
        return sb.ToString();
    }

    /// <summary>The host's (or <c>--dns</c>) resolvers the embedded server forwards to.</summary>
    public static List<string> Upstreams(ContainerDocument d)
    {
        if (d.HostConfig.Dns is { Count: > 0 } dns) return dns;
        var hostLines = File.Exists("/etc/resolv.conf") ? File.ReadAllLines("/etc/resolv.conf") : [];
        return Values(hostLines, "nameserver");
    }

    private static List<string> Values(string[] lines, string key) =>
        [.. lines.Where(l => l.StartsWith(key + " ", StringComparison.Ordinal) || l.StartsWith(key + "\t", StringComparison.Ordinal))
            .SelectMany(l => l[key.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))];

    private static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written before the runtime bind-mounts it, so a rename is safe (and atomic).
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, content);
        File.Move(tmp, path, overwrite: true);
    }
}
