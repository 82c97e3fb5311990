using Berth.Api.Models.Containers;

namespace Berth.Cli.Parsing;

/// <summary><c>-p [ip:][hostPort:]containerPort[/proto]</c>, with ranges (<c>8000-8001:80-81</c>) and <c>[::1]</c> IPs.</summary>
internal static class PortSpec
{
    public static void Add(string spec, Dictionary<string, EmptyObject> exposed, Dictionary<string, List<PortBinding>?> bindings)
    {
        var proto = "tcp";
        var slash = spec.LastIndexOf('/');
        if (slash > spec.LastIndexOf(']'))
        {
            proto = spec[(slash + 1)..];
            spec = spec[..slash];
        }
        string ip = "", hostPart = "", containerPart;
        if (spec.StartsWith('['))
        {
            var close = spec.IndexOf(']');
            ip = spec[1..close];
            var rest = spec[(close + 2)..].Split(':');
            (hostPart, containerPart) = rest.Length == 2 ? (rest[0], rest[1]) : ("", rest[0]);
        }
        else
        {
            var parts = spec.Split(':');
            switch (parts.Length)
            {
                case 1: containerPart = parts[0]; break;
                case 2: (hostPart, containerPart) = (parts[0], parts[1]); break;
                case 3: (ip, hostPart, containerPart) = (parts[0], parts[1], parts[2]); break;
                default: throw new UsageException($"invalid port format: {spec}");
            }
        }
        var (cStart, cEnd) = Range(containerPart, spec);
        var (hStart, hEnd) = hostPart.Length > 0 ? Range(hostPart, spec) : (0, 0);
        if (hostPart.Length > 0 && hEnd - hStart != cEnd - cStart && hEnd != hStart)
            throw new UsageException($"invalid ranges specified for container and host Ports: {containerPart} and {hostPart}");
        for (var port = cStart; port <= cEnd; port++)
        {
            var key = $"{port}/{proto}";
            exposed[key] = new EmptyObject();
            if (hostPart.Length == 0 && ip.Length == 0 && !spec.Contains(':')) continue;
            var hostPort = hostPart.Length == 0 ? "" : (hEnd == hStart ? $"{hStart}" : $"{hStart + port - cStart}");
            if (!bindings.TryGetValue(key, out var list) || list is null) bindings[key] = list = [];
            list.Add(new PortBinding { HostIp = ip, HostPort = hostPort });
        }
        // "-p 80" publishes to a random host port, like docker.
        if (hostPart.Length == 0 && ip.Length == 0 && !spec.Contains(':'))
        {
            for (var port = cStart; port <= cEnd; port++) bindings[$"{port}/{proto}"] = [new PortBinding { HostIp = "", HostPort = "" }];
        }
    }

    private static (int Start, int End) Range(string s, string spec)
    {
        var dash = s.IndexOf('-');
        if (dash < 0) return int.TryParse(s, out var p) ? (p, p) : throw new UsageException($"invalid containerPort: {s}");
        if (int.TryParse(s[..dash], out var a) && int.TryParse(s[(dash + 1)..], out var b) && b >= a) return (a, b);
        throw new UsageException($"invalid port format: {spec}");
    }
}
