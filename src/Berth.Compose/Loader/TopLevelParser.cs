using Berth.Compose.Model;

namespace Berth.Compose.Loader;

/// <summary>Top-level networks, volumes, configs and secrets. Engine names are PROJECT_KEY unless <c>name</c> is set or the object is external.</summary>
internal static class TopLevelParser
{
    public static NetworkConfig Network(string key, Node v, string project, string p)
    {
        if (v is ScalarNode { IsNull: true }) return new NetworkConfig { Name = $"{project}_{key}" };
        var m = NodeReader.Mapping(v, p);
        var external = External(m, p, out var externalName);
        var name = Str(m, "name", p) ?? externalName ?? (external ? key : $"{project}_{key}");
        var n = new NetworkConfig { Name = name, External = external };
        foreach (var e in m.Entries)
        {
            var ep = $"{p}.{e.Key}";
            if (e.Value is ScalarNode { IsNull: true }) continue;
            n = e.Key switch
            {
                "driver" => n with { Driver = NodeReader.String(e.Value, ep) },
                "driver_opts" => n with { DriverOpts = NodeReader.StringMap(e.Value, ep) },
                "internal" => n with { Internal = NodeReader.Bool(e.Value, ep) ?? false },
                "attachable" => n with { Attachable = NodeReader.Bool(e.Value, ep) ?? false },
                "enable_ipv6" => n with { EnableIpv6 = NodeReader.Bool(e.Value, ep) },
                "labels" => n with { Labels = NodeReader.StringMap(e.Value, ep) },
                "ipam" => n with { Ipam = Ipam(e.Value, ep) },
                _ => n,
            };
        }
        return n;
    }

    private static IpamConfig Ipam(Node v, string p)
    {
        var m = NodeReader.Mapping(v, p);
        var pools = new List<IpamPool>();
        if (m.Get("config") is SequenceNode seq)
        {
            for (var i = 0; i < seq.Items.Count; i++)
            {
                var cp = $"{p}.config[{i}]";
                var c = NodeReader.Mapping(seq.Items[i], cp);
                var subnet = Str(c, "subnet", cp);
                if (subnet is not null && !System.Net.IPNetwork.TryParse(subnet, out _))
                    throw Errors.At(c.Get("subnet")!, cp + ".subnet", $"invalid subnet \"{subnet}\"");
                pools.Add(new IpamPool
                {
                    Subnet = subnet,
                    Gateway = Str(c, "gateway", cp),
                    IpRange = Str(c, "ip_range", cp),
                    AuxAddresses = c.Get("aux_addresses") is { } aux ? NodeReader.StringMap(aux, cp + ".aux_addresses") : new SortedDictionary<string, string>(StringComparer.Ordinal),
                });
            }
        }
        return new IpamConfig
        {
            Driver = Str(m, "driver", p),
            Config = pools,
            Options = m.Get("options") is { } o ? NodeReader.StringMap(o, p + ".options") : new SortedDictionary<string, string>(StringComparer.Ordinal),
        };
    }

    public static VolumeConfig Volume(string key, Node v, string project, string p)
    {
        if (v is ScalarNode { IsNull: true }) return new VolumeConfig { Name = $"{project}_{key}" };
        var m = NodeReader.Mapping(v, p);
        var external = External(m, p, out var externalName);
        return new VolumeConfig
        {
            Name = Str(m, "name", p) ?? externalName ?? (external ? key : $"{project}_{key}"),
            External = external,
            Driver = Str(m, "driver", p),
            DriverOpts = m.Get("driver_opts") is { } o ? NodeReader.StringMap(o, p + ".driver_opts") : new SortedDictionary<string, string>(StringComparer.Ordinal),
            Labels = m.Get("labels") is { } l ? NodeReader.StringMap(l, p + ".labels") : new SortedDictionary<string, string>(StringComparer.Ordinal),
        };
    }

    public static FileObjectConfig FileObject(string key, Node v, string project, string p, bool secret, LoadContext ctx)
    {
        var m = NodeReader.Mapping(v, p);
        var external = External(m, p, out var externalName);
        var file = Str(m, "file", p);
        var obj = new FileObjectConfig
        {
            Name = Str(m, "name", p) ?? externalName ?? (external ? key : $"{project}_{key}"),
            External = external,
            File = file is null ? null : ctx.ResolvePath(file, m.Get("file")!.Source),
            Environment = Str(m, "environment", p),
            Content = Str(m, "content", p),
            Labels = m.Get("labels") is { } l ? NodeReader.StringMap(l, p + ".labels") : new SortedDictionary<string, string>(StringComparer.Ordinal),
        };
        if (!external && obj.File is null && obj.Environment is null && obj.Content is null)
            throw new ComposeException(secret
                ? $"secret \"{key}\" must declare either `file` or `environment`"
                : $"config \"{key}\" must declare either `file`, `environment` or `content`");
        return obj;
    }

    private static string? Str(MappingNode m, string key, string p)
        => m.Get(key) is { } n ? NodeReader.String(n, $"{p}.{key}") : null;

    /// <summary>external: true, or the legacy external: {name: x}.</summary>
    private static bool External(MappingNode m, string p, out string? name)
    {
        name = null;
        var n = m.Get("external");
        if (n is null or ScalarNode { IsNull: true }) return false;
        if (n is MappingNode em)
        {
            name = Str(em, "name", p + ".external");
            return true;
        }
        return NodeReader.Bool(n, p + ".external") ?? false;
    }
}
