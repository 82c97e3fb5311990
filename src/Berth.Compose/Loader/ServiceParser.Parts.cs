using System.Globalization;
using Berth.Compose.Model;

namespace Berth.Compose.Loader;

internal static partial class ServiceParser
{
    private static BuildConfig ParseBuild(Node v, string p, LoadContext ctx)
    {
        if (v is ScalarNode s) return new BuildConfig { Context = Context(s.Value!, s.Source, ctx), Dockerfile = "Dockerfile" };
        var m = NodeReader.Mapping(v, p);
        var ctxNode = m.Get("context");
        var context = ctxNode is ScalarNode { Value: { } c } ? Context(c, ctxNode.Source, ctx) : Context(".", m.Source, ctx);
        var b = new BuildConfig { Context = context };
        foreach (var e in m.Entries)
        {
            var ep = $"{p}.{e.Key}";
            var val = e.Value;
            if (val is ScalarNode { IsNull: true }) continue;
            b = e.Key switch
            {
                "context" => b,
                "dockerfile" => b with { Dockerfile = NodeReader.String(val, ep) },
                "dockerfile_inline" => b with { DockerfileInline = NodeReader.String(val, ep) },
                "args" => b with { Args = new SortedDictionary<string, string?>(NodeReader.MapOrList(val, ep).ToDictionary(kv => kv.Key, kv => kv.Value ?? Lookup(ctx, kv.Key)), StringComparer.Ordinal) },
                "target" => b with { Target = NodeReader.String(val, ep) },
                "labels" => b with { Labels = NodeReader.StringMap(val, ep) },
                "cache_from" => b with { CacheFrom = NodeReader.StringList(val, ep, allowString: false) },
                "cache_to" => b with { CacheTo = NodeReader.StringList(val, ep, allowString: false) },
                "network" => b with { Network = NodeReader.String(val, ep) },
                "tags" => b with { Tags = NodeReader.StringList(val, ep, allowString: false) },
                "extra_hosts" => b with { ExtraHosts = ExtraHosts(val, ep) },
                "no_cache" => b with { NoCache = NodeReader.Bool(val, ep) ?? false },
                "pull" => b with { Pull = NodeReader.Bool(val, ep) ?? false },
                "shm_size" => b with { ShmSize = NodeReader.Bytes(val, ep) },
                "platforms" => b with { Platforms = NodeReader.StringList(val, ep, allowString: false) },
                _ => Ignore(b, ctx, ep),
            };
        }
        if (b.Dockerfile is not null && b.DockerfileInline is not null)
            throw Errors.At(v, p, "dockerfile and dockerfile_inline are mutually exclusive");
        if (b.Dockerfile is null && b.DockerfileInline is null) b = b with { Dockerfile = "Dockerfile" };
        return b;
    }

    private static string? Lookup(LoadContext ctx, string key) => ctx.Lookup(key, out var v) ? v : null;

    private static T Ignore<T>(T value, LoadContext ctx, string path)
    {
        ctx.Warn($"{path}: not supported by Berth yet, ignored");
        return value;
    }

    private static string Context(string context, SourceLocation src, LoadContext ctx)
    {
        // Remote contexts (git URLs, tarball URLs) are passed through untouched.
        if (context.Contains("://", StringComparison.Ordinal) || context.StartsWith("git@", StringComparison.Ordinal)) return context;
        return ctx.ResolvePath(context, src);
    }

    private static List<PortConfig> Ports(Node v, string p)
    {
        var result = new List<PortConfig>();
        if (v is not SequenceNode seq) throw Errors.At(v, p, $"must be a list, not a {v.Kind}");
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            var ip = $"{p}[{i}]";
            try
            {
                if (item is ScalarNode { Value: { } text }) { result.AddRange(PortParser.ParseShort(text)); continue; }
                var m = NodeReader.Mapping(item, ip);
                var targetNode = m.Get("target") ?? throw Errors.At(item, ip, "target is required");
                var target = PortParser.ParsePort(NodeReader.RequiredString(targetNode, ip + ".target"), NodeReader.RequiredString(targetNode, ip + ".target"));
                var published = m.Get("published") is { } pn ? NodeReader.String(pn, ip + ".published") : null;
                if (published is not null) PortParser.ParseRange(published, published);
                var hostIp = m.Get("host_ip") is { } h ? NodeReader.String(h, ip + ".host_ip") : null;
                if (hostIp is not null && !System.Net.IPAddress.TryParse(hostIp, out _)) throw new FormatException($"invalid IP address: {hostIp}");
                var protocol = (m.Get("protocol") is { } pr ? NodeReader.String(pr, ip + ".protocol") : null) ?? "tcp";
                var mode = (m.Get("mode") is { } mo ? NodeReader.String(mo, ip + ".mode") : null) ?? "ingress";
                if (mode is not ("ingress" or "host")) throw new FormatException($"invalid mode \"{mode}\"");
                result.Add(new PortConfig
                {
                    Target = target,
                    Published = published,
                    HostIp = hostIp,
                    Protocol = protocol.ToLowerInvariant(),
                    Mode = mode,
                    Name = m.Get("name") is { } n ? NodeReader.String(n, ip + ".name") : null,
                    AppProtocol = m.Get("app_protocol") is { } ap ? NodeReader.String(ap, ip + ".app_protocol") : null,
                });
            }
            catch (FormatException ex)
            {
                throw Errors.At(item, ip, ex.Message);
            }
        }
        return result;
    }

    private static List<ServiceVolumeConfig> Volumes(Node v, string p, LoadContext ctx)
    {
        var result = new List<ServiceVolumeConfig>();
        if (v is not SequenceNode seq) throw Errors.At(v, p, $"must be a list, not a {v.Kind}");
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            var ip = $"{p}[{i}]";
            ServiceVolumeConfig vol;
            try
            {
                vol = item is ScalarNode { Value: { } text } ? VolumeSpecParser.ParseShort(text) : LongVolume(NodeReader.Mapping(item, ip), ip);
            }
            catch (FormatException ex)
            {
                throw Errors.At(item, ip, ex.Message);
            }
            if (!vol.Target.StartsWith('/')) throw Errors.At(item, ip, $"invalid mount config: target \"{vol.Target}\" must be an absolute path");
            if (vol.Type == "bind" && vol.Source is not null) vol = vol with { Source = ctx.ResolvePath(vol.Source, item.Source) };
            result.Add(vol);
        }
        return result;
    }

    private static ServiceVolumeConfig LongVolume(MappingNode m, string p)
    {
        string? Str(string key) => m.Get(key) is { } n ? NodeReader.String(n, $"{p}.{key}") : null;
        var type = Str("type") ?? throw new FormatException("type is required");
        if (type is not ("volume" or "bind" or "tmpfs" or "npipe" or "image" or "cluster"))
            throw new FormatException($"invalid mount type \"{type}\"");
        var target = Str("target") ?? throw new FormatException("target is required");
        var vol = new ServiceVolumeConfig
        {
            Type = type,
            Source = Str("source"),
            Target = target,
            ReadOnly = m.Get("read_only") is { } ro && (NodeReader.Bool(ro, p + ".read_only") ?? false),
            Consistency = Str("consistency"),
        };
        if (type == "bind" && vol.Source is null) throw new FormatException("source is required for a bind mount");
        if (m.Get("bind") is MappingNode b)
            vol = vol with
            {
                Bind = new ServiceVolumeBind
                {
                    Propagation = b.Get("propagation") is { } pr ? NodeReader.String(pr, p + ".bind.propagation") : null,
                    // compose-go defaults create_host_path to true once a bind section is present (transform/volume.go defaultVolumeBind).
                    CreateHostPath = b.Get("create_host_path") is not { } c || (NodeReader.Bool(c, p + ".bind.create_host_path") ?? true),
                    SELinux = b.Get("selinux") is { } se ? NodeReader.String(se, p + ".bind.selinux") : null,
                },
            };
        if (m.Get("volume") is MappingNode vm)
            vol = vol with
            {
                Volume = new ServiceVolumeVolume
                {
                    NoCopy = vm.Get("nocopy") is { } nc && (NodeReader.Bool(nc, p + ".volume.nocopy") ?? false),
                    Subpath = vm.Get("subpath") is { } sp ? NodeReader.String(sp, p + ".volume.subpath") : null,
                },
            };
        if (m.Get("tmpfs") is MappingNode tm)
            vol = vol with
            {
                Tmpfs = new ServiceVolumeTmpfs
                {
                    Size = tm.Get("size") is { } sz ? NodeReader.Bytes(sz, p + ".tmpfs.size") : null,
                    Mode = tm.Get("mode") is { } md ? ParseMode(NodeReader.RequiredString(md, p + ".tmpfs.mode"), md, p + ".tmpfs.mode") : null,
                },
            };
        return vol;
    }

    private static SortedDictionary<string, ServiceNetworkConfig> Networks(Node v, string p)
    {
        var result = new SortedDictionary<string, ServiceNetworkConfig>(StringComparer.Ordinal);
        var map = NodeReader.Mapping(NodeShapes.ListToMap(v, "services.*.networks"), p);
        foreach (var e in map.Entries)
        {
            var np = $"{p}.{e.Key}";
            if (e.Value is ScalarNode { IsNull: true }) { result[e.Key] = new ServiceNetworkConfig(); continue; }
            var m = NodeReader.Mapping(e.Value, np);
            result[e.Key] = new ServiceNetworkConfig
            {
                Aliases = m.Get("aliases") is { } a ? NodeReader.StringList(a, np + ".aliases", allowString: false) : [],
                Ipv4Address = m.Get("ipv4_address") is { } v4 ? NodeReader.String(v4, np + ".ipv4_address") : null,
                Ipv6Address = m.Get("ipv6_address") is { } v6 ? NodeReader.String(v6, np + ".ipv6_address") : null,
                MacAddress = m.Get("mac_address") is { } mac ? NodeReader.String(mac, np + ".mac_address") : null,
                Priority = m.Get("priority") is { } pr ? NodeReader.Int(pr, np + ".priority") ?? 0 : 0,
            };
        }
        return result;
    }

    private static SortedDictionary<string, ServiceDependency> DependsOn(Node v, string p)
    {
        var result = new SortedDictionary<string, ServiceDependency>(StringComparer.Ordinal);
        var map = NodeReader.Mapping(NodeShapes.ListToMap(v, "services.*.depends_on"), p);
        foreach (var e in map.Entries)
        {
            var dp = $"{p}.{e.Key}";
            if (e.Value is ScalarNode { IsNull: true }) { result[e.Key] = new ServiceDependency(); continue; }
            var m = NodeReader.Mapping(e.Value, dp);
            var condition = m.Get("condition") is { } c ? NodeReader.String(c, dp + ".condition") ?? ServiceDependency.ServiceStarted : ServiceDependency.ServiceStarted;
            if (condition is not (ServiceDependency.ServiceStarted or ServiceDependency.ServiceHealthy or ServiceDependency.ServiceCompletedSuccessfully))
                throw Errors.At(m.Get("condition")!, dp + ".condition", $"invalid condition \"{condition}\"");
            result[e.Key] = new ServiceDependency
            {
                Condition = condition,
                Restart = m.Get("restart") is { } r && (NodeReader.Bool(r, dp + ".restart") ?? false),
                Required = m.Get("required") is not { } q || (NodeReader.Bool(q, dp + ".required") ?? true),
            };
        }
        return result;
    }

    private static HealthcheckConfig Healthcheck(Node v, string p)
    {
        var m = NodeReader.Mapping(v, p);
        var h = new HealthcheckConfig();
        foreach (var e in m.Entries)
        {
            var hp = $"{p}.{e.Key}";
            if (e.Value is ScalarNode { IsNull: true }) continue;
            h = e.Key switch
            {
                "test" => h with { Test = HealthTest(e.Value, hp) },
                "interval" => h with { Interval = NodeReader.Duration(e.Value, hp) },
                "timeout" => h with { Timeout = NodeReader.Duration(e.Value, hp) },
                "retries" => h with { Retries = NodeReader.Int(e.Value, hp) },
                "start_period" => h with { StartPeriod = NodeReader.Duration(e.Value, hp) },
                "start_interval" => h with { StartInterval = NodeReader.Duration(e.Value, hp) },
                "disable" => h with { Disable = NodeReader.Bool(e.Value, hp) ?? false },
                _ => h,
            };
        }
        return h;
    }

    private static List<string> HealthTest(Node v, string p)
    {
        if (v is ScalarNode { Value: { } text }) return ["CMD-SHELL", text];
        var list = NodeReader.StringList(v, p, allowString: false);
        if (list.Count == 0 || list[0] is not ("NONE" or "CMD" or "CMD-SHELL"))
            throw Errors.At(v, p, "healthcheck.test must start either by \"CMD\", \"CMD-SHELL\" or \"NONE\"");
        return list;
    }

    internal static int ParseMode(string text, Node node, string path)
    {
        var t = text.StartsWith("0o", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        var octal = t.Length > 1 && t[0] == '0' || text.StartsWith("0o", StringComparison.OrdinalIgnoreCase);
        try
        {
            return octal ? System.Convert.ToInt32(t, 8) : int.Parse(t, NumberStyles.None, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            throw Errors.At(node, path, $"invalid mode \"{text}\"");
        }
    }
}
