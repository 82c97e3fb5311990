using System.Globalization;
using Berth.Compose.Model;

namespace Berth.Compose.Loader;

/// <summary>Short port syntax "[HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]" with ranges, as docker/go-connections nat.ParsePortSpec reads it.
/// Throws <see cref="FormatException"/> with the message only; the caller adds the location.</summary>
internal static class PortParser
{
    public static List<PortConfig> ParseShort(string spec)
    {
        var text = spec.Trim();
        var protocol = "tcp";
        var slash = text.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = text[(slash + 1)..].ToLowerInvariant();
            text = text[..slash];
            if (protocol is not ("tcp" or "udp" or "sctp")) throw new FormatException($"invalid proto \"{protocol}\"");
        }
        string? hostIp = null;
        string published;
        string target;
        var lastColon = text.LastIndexOf(':');
        if (lastColon < 0)
        {
            target = text;
            published = "";
        }
        else
        {
            target = text[(lastColon + 1)..];
            var rest = text[..lastColon];
            var colon = rest.LastIndexOf(':');
            if (rest.StartsWith('[') && rest.EndsWith(']'))
            {
                // "[::1]:80" is an address with no published port only if a published part is missing.
                hostIp = rest[1..^1];
                published = "";
            }
            else if (colon < 0)
            {
                published = rest;
            }
            else
            {
                published = rest[(colon + 1)..];
                hostIp = rest[..colon];
                if (hostIp.StartsWith('[') && hostIp.EndsWith(']')) hostIp = hostIp[1..^1];
                if (hostIp.Length == 0) hostIp = null;
            }
        }
        if (hostIp is not null && !System.Net.IPAddress.TryParse(hostIp, out _)) throw new FormatException($"invalid IP address: {hostIp}");
        var (tStart, tEnd) = ParseRange(target, spec);
        var result = new List<PortConfig>();
        if (published.Length == 0)
        {
            for (var p = tStart; p <= tEnd; p++)
                result.Add(new PortConfig { Target = p, HostIp = hostIp, Protocol = protocol });
            return result;
        }
        var (pStart, pEnd) = ParseRange(published, spec);
        if (tStart == tEnd)
        {
            var pub = pStart == pEnd ? pStart.ToString(CultureInfo.InvariantCulture) : $"{pStart}-{pEnd}";
            result.Add(new PortConfig { Target = tStart, Published = pub, HostIp = hostIp, Protocol = protocol });
            return result;
        }
        if (pEnd - pStart != tEnd - tStart) throw new FormatException($"invalid ranges specified for container and host ports: {spec}");
        for (var i = 0; i <= tEnd - tStart; i++)
            result.Add(new PortConfig
            {
                Target = tStart + i,
                Published = (pStart + i).ToString(CultureInfo.InvariantCulture),
                HostIp = hostIp,
                Protocol = protocol,
            });
        return result;
    }

    public static (int Start, int End) ParseRange(string text, string spec)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            var p = ParsePort(text, spec);
            return (p, p);
        }
        var start = ParsePort(text[..dash], spec);
        var end = ParsePort(text[(dash + 1)..], spec);
        if (end < start) throw new FormatException($"invalid port range \"{text}\"");
        return (start, end);
    }

    public static int ParsePort(string text, string spec)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 0 or > 65535)
            throw new FormatException($"invalid port \"{spec}\"");
        return port;
    }
}
