using System.Text;

namespace Berth.Services.Containers;

/// <summary>The per-container /etc/hostname, /etc/hosts and /etc/resolv.conf that are bind-mounted in, written as Docker writes them.</summary>
internal static class ContainerFiles
{
    public static void Write(ContainerDocument doc, string? ipAddress = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(doc.HostsPath)!);
        var hostname = doc.Config.Hostname ?? doc.Id[..12];
        AtomicWrite(doc.HostnamePath, hostname + "\n");
        var hosts = new StringBuilder();
        if (doc.HostConfig.NetworkMode == "host")
        {
            hosts.Append(File.Exists("/etc/hosts") ? File.ReadAllText("/etc/hosts") : "127.0.0.1\tlocalhost\n");
        }
        else
        {
            hosts.Append("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::\tip6-localnet\nff00::\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n");
            foreach (var extra in doc.HostConfig.ExtraHosts ?? [])
            {
                var sep = extra.LastIndexOf(':');
                if (sep > 0) hosts.Append(extra[(sep + 1)..]).Append('\t').Append(extra[..sep]).Append('\n');
            }
            if (ipAddress is not null) hosts.Append(ipAddress).Append('\t').Append(hostname).Append('\n');
        }
        AtomicWrite(doc.HostsPath, hosts.ToString());
        AtomicWrite(doc.ResolvConfPath, ResolvConf(doc));
    }

    private static string ResolvConf(ContainerDocument doc)
    {
        var hostLines = File.Exists("/etc/resolv.conf") ? File.ReadAllLines("/etc/resolv.conf") : [];
        var dns = doc.HostConfig.Dns is { Count: > 0 } d ? d : hostLines.Where(l => l.StartsWith("nameserver", StringComparison.Ordinal))
            .Select(l => l["nameserver".Length..].Trim())
            // Loopback resolvers of the host are unreachable from a container's own network namespace.
            .Where(ns => doc.HostConfig.NetworkMode == "host" || !(ns.StartsWith("127.", StringComparison.Ordinal) || ns == "::1")).ToList();
        var sb = new StringBuilder();
        var search = doc.HostConfig.DnsSearch is { Count: > 0 } s ? s : hostLines.Where(l => l.StartsWith("search ", StringComparison.Ordinal)).SelectMany(l => l[7..].Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (search.Count > 0) sb.Append("search ").AppendJoin(' ', search).Append('\n');
        foreach (var ns in dns) sb.Append("nameserver ").Append(ns).Append('\n');
        var options = doc.HostConfig.DnsOptions is { Count: > 0 } o ? o : hostLines.Where(l => l.StartsWith("options ", StringComparison.Ordinal)).SelectMany(l => l[8..].Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (options.Count > 0) sb.Append("options ").AppendJoin(' ', options).Append('\n');
        return sb.ToString();
    }

    private static void AtomicWrite(string path, string content)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, content);
        File.Move(tmp, path, overwrite: true);
    }
}
