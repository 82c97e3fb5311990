using Berth.Api.Models.Containers;

namespace Berth.Cli.Formatting;

/// <summary>docker's DisplayablePorts: consecutive ports grouped into ranges, published-elsewhere ports listed after
/// (<c>443/tcp, 0.0.0.0:8080->80/tcp</c>).</summary>
internal static class PortsFormatter
{
    public static string Format(IEnumerable<PortSummary> ports)
    {
        var sorted = ports.OrderBy(p => p.PrivatePort).ThenBy(p => p.IP ?? "", StringComparer.Ordinal)
            .ThenBy(p => p.PublicPort ?? 0).ThenBy(p => p.Type, StringComparer.Ordinal).ToList();
        var groups = new Dictionary<string, (int First, int Last)>(StringComparer.Ordinal);
        var order = new List<string>();
        var result = new List<string>();
        var hostMappings = new List<string>();
        foreach (var p in sorted)
        {
            var current = p.PrivatePort;
            var key = p.Type;
            if (!string.IsNullOrEmpty(p.IP))
            {
                if ((p.PublicPort ?? 0) != current)
                {
                    hostMappings.Add($"{JoinHostPort(p.IP, (p.PublicPort ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture))}->{p.PrivatePort}/{p.Type}");
                    continue;
                }
                key = p.IP + "/" + p.Type;
            }
            if (!groups.TryGetValue(key, out var g))
            {
                groups[key] = (current, current);
                order.Add(key);
                continue;
            }
            if (current == g.Last + 1)
            {
                groups[key] = (g.First, current);
                continue;
            }
            result.Add(FormGroup(key, g.First, g.Last));
            groups[key] = (current, current);
        }
        foreach (var key in order) result.Add(FormGroup(key, groups[key].First, groups[key].Last));
        result.AddRange(hostMappings);
        return string.Join(", ", result);
    }

    private static string FormGroup(string key, int first, int last)
    {
        var slash = key.LastIndexOf('/');
        var ip = slash > 0 ? key[..slash] : "";
        var type = slash > 0 ? key[(slash + 1)..] : key;
        var group = first == last ? $"{first}" : $"{first}-{last}";
        if (ip.Length > 0) group = $"{JoinHostPort(ip, group)}->{group}";
        return group + "/" + type;
    }

    private static string JoinHostPort(string host, string port) => host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
}
