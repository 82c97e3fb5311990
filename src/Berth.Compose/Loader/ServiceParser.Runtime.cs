using Berth.Compose.Model;

namespace Berth.Compose.Loader;

internal static partial class ServiceParser
{
    private static DeployConfig Deploy(Node v, string p)
    {
        var m = NodeReader.Mapping(v, p);
        var d = new DeployConfig();
        if (m.Get("replicas") is { } r) d = d with { Replicas = NonNegative(r, p + ".replicas") };
        if (m.Get("mode") is { } mode) d = d with { Mode = NodeReader.String(mode, p + ".mode") };
        if (m.Get("labels") is { } l) d = d with { Labels = NodeReader.StringMap(l, p + ".labels") };
        if (m.Get("resources") is MappingNode res)
        {
            if (res.Get("limits") is { } lim) d = d with { Limits = Resources(lim, p + ".resources.limits") };
            if (res.Get("reservations") is { } rv) d = d with { Reservations = Resources(rv, p + ".resources.reservations") };
        }
        return d;
    }

    private static ResourceLimits? Resources(Node v, string p)
    {
        if (v is ScalarNode { IsNull: true }) return null;
        var m = NodeReader.Mapping(v, p);
        return new ResourceLimits
        {
            Cpus = m.Get("cpus") is { } c ? NodeReader.Double(c, p + ".cpus") : null,
            Memory = m.Get("memory") is { } mem ? NodeReader.Bytes(mem, p + ".memory") : null,
            Pids = m.Get("pids") is { } pids ? NodeReader.Long(pids, p + ".pids") : null,
        };
    }

    private static LoggingConfig Logging(Node v, string p)
    {
        var m = NodeReader.Mapping(v, p);
        return new LoggingConfig
        {
            Driver = m.Get("driver") is { } d ? NodeReader.String(d, p + ".driver") : null,
            Options = m.Get("options") is { } o ? NodeReader.StringMap(o, p + ".options") : new SortedDictionary<string, string>(StringComparer.Ordinal),
        };
    }

    /// <summary>extra_hosts as a list ("host:ip", "host=ip") or a map (host: ip or host: [ip, ip]); result in Docker's "host:ip" form.</summary>
    private static List<string> ExtraHosts(Node v, string p)
    {
        var result = new List<string>();
        if (v is MappingNode m)
        {
            foreach (var e in m.Entries)
                foreach (var ip in NodeReader.StringList(e.Value, $"{p}.{e.Key}"))
                    result.Add($"{e.Key}:{ip}");
            return result;
        }
        foreach (var entry in NodeReader.StringList(v, p, allowString: false))
        {
            var (host, ip) = NodeShapes.SplitEntry(entry, hosts: true);
            if (ip is null) throw Errors.At(v, p, $"invalid extra host \"{entry}\": expected host:ip");
            // IPv6 addresses may be written in brackets ("host=[::1]").
            if (ip.StartsWith('[') && ip.EndsWith(']')) ip = ip[1..^1];
            result.Add($"{host}:{ip}");
        }
        return result;
    }

    private static SortedDictionary<string, UlimitConfig> Ulimits(Node v, string p)
    {
        var result = new SortedDictionary<string, UlimitConfig>(StringComparer.Ordinal);
        foreach (var e in NodeReader.Mapping(v, p).Entries)
        {
            var up = $"{p}.{e.Key}";
            if (e.Value is ScalarNode)
            {
                var n = NodeReader.Long(e.Value, up) ?? throw Errors.At(e.Value, up, "must be an integer or a mapping");
                result[e.Key] = new UlimitConfig(n, n) { Single = true };
                continue;
            }
            var m = NodeReader.Mapping(e.Value, up);
            var soft = m.Get("soft") is { } s ? NodeReader.Long(s, up + ".soft") : null;
            var hard = m.Get("hard") is { } h ? NodeReader.Long(h, up + ".hard") : null;
            if (soft is null || hard is null) throw Errors.At(e.Value, up, "soft and hard are required");
            result[e.Key] = new UlimitConfig(soft.Value, hard.Value);
        }
        return result;
    }

    private static List<ServiceFileReference> FileReferences(Node v, string p)
    {
        var result = new List<ServiceFileReference>();
        if (v is not SequenceNode seq) throw Errors.At(v, p, $"must be a list, not a {v.Kind}");
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            var ip = $"{p}[{i}]";
            if (item is ScalarNode { Value: { } name }) { result.Add(new ServiceFileReference { Source = name }); continue; }
            var m = NodeReader.Mapping(item, ip);
            result.Add(new ServiceFileReference
            {
                Source = NodeReader.RequiredString(m.Get("source") ?? throw Errors.At(item, ip, "source is required"), ip + ".source"),
                Target = m.Get("target") is { } t ? NodeReader.String(t, ip + ".target") : null,
                Uid = m.Get("uid") is { } u ? NodeReader.String(u, ip + ".uid") : null,
                Gid = m.Get("gid") is { } g ? NodeReader.String(g, ip + ".gid") : null,
                Mode = m.Get("mode") is { } md ? ParseMode(NodeReader.RequiredString(md, ip + ".mode"), md, ip + ".mode") : null,
            });
        }
        return result;
    }

    /// <summary>devices: short "host[:container[:perms]]" strings, or long {source, target, permissions} turned into that form.</summary>
    private static List<string> Devices(Node v, string p)
    {
        var result = new List<string>();
        if (v is not SequenceNode seq) throw Errors.At(v, p, $"must be a list, not a {v.Kind}");
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            if (item is ScalarNode { Value: { } d }) { result.Add(d); continue; }
            var m = NodeReader.Mapping(item, $"{p}[{i}]");
            var src = NodeReader.RequiredString(m.Get("source") ?? throw Errors.At(item, $"{p}[{i}]", "source is required"), $"{p}[{i}].source");
            var target = m.Get("target") is { } t ? NodeReader.String(t, $"{p}[{i}].target") : src;
            var perms = m.Get("permissions") is { } pm ? NodeReader.String(pm, $"{p}[{i}].permissions") : "rwm";
            result.Add($"{src}:{target}:{perms}");
        }
        return result;
    }
}
