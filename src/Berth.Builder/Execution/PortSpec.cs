using System.Globalization;

namespace Berth.Builder.Execution;

/// <summary>EXPOSE values (<c>80</c>, <c>80/udp</c>, <c>8000-8002/tcp</c>, <c>ip:host:container</c>) as <c>port/proto</c> keys, with nat.ParsePortSpec's errors.</summary>
internal static class PortSpec
{
    public static List<string> Parse(string raw)
    {
        var parts = raw.Split(':');
        var container = parts[^1];
        var slash = container.IndexOf('/', StringComparison.Ordinal);
        var port = slash < 0 ? container : container[..slash];
        var proto = slash < 0 ? "tcp" : container[(slash + 1)..];
        if (port.Length == 0) throw new BuildFailedException($"no port specified: {raw}<empty>");
        if (proto.Length == 0) proto = "tcp";
        proto = proto.ToLowerInvariant();
        if (proto is not ("tcp" or "udp" or "sctp")) throw new BuildFailedException("invalid proto: " + proto);
        var dash = port.IndexOf('-', StringComparison.Ordinal);
        var (startText, endText) = dash < 0 ? (port, port) : (port[..dash], port[(dash + 1)..]);
        if (!ushort.TryParse(startText, NumberStyles.None, CultureInfo.InvariantCulture, out var start) ||
            !ushort.TryParse(endText, NumberStyles.None, CultureInfo.InvariantCulture, out var end) || end < start)
            throw new BuildFailedException("invalid containerPort: " + port);
        var result = new List<string>();
        for (int p = start; p <= end; p++) result.Add(p.ToString(CultureInfo.InvariantCulture) + "/" + proto);
        return result;
    }
}
