using Berth.Compose.Model;

namespace Berth.Compose.Loader;

/// <summary>Turns one merged, interpolated service node into a normalized <see cref="ServiceConfig"/>.</summary>
internal static partial class ServiceParser
{
    public static ServiceConfig Parse(string name, Node node, LoadContext ctx)
    {
        var path = $"services.{name}";
        if (node is ScalarNode { IsNull: true }) node = new MappingNode(node.Source);
        var map = NodeReader.Mapping(node, path);
        var s = new ServiceConfig { Name = name };
        List<KeyValuePair<string, string?>>? environment = null;
        foreach (var entry in map.Entries)
        {
            var v = entry.Value;
            var p = $"{path}.{entry.Key}";
            if (v is ScalarNode { IsNull: true } && entry.Key is not ("environment" or "command" or "entrypoint")) continue;
            switch (entry.Key)
            {
                case "image": s = s with { Image = NodeReader.String(v, p) }; break;
                case "build": s = s with { Build = ParseBuild(v, p, ctx) }; break;
                case "command": s = s with { Command = Command(v, p) }; break;
                case "entrypoint": s = s with { Entrypoint = Command(v, p) }; break;
                case "environment": environment = Environment(v, p, ctx); break;
                case "env_file": s = s with { EnvFiles = EnvFiles(v, p, ctx) }; break;
                case "ports": s = s with { Ports = Ports(v, p) }; break;
                case "expose": s = s with { Expose = NodeReader.StringList(v, p, allowString: false) }; break;
                case "volumes": s = s with { Volumes = Volumes(v, p, ctx) }; break;
                case "tmpfs": s = s with { Tmpfs = NodeReader.StringList(v, p) }; break;
                case "networks": s = s with { Networks = Networks(v, p) }; break;
                case "network_mode": s = s with { NetworkMode = NodeReader.String(v, p) }; break;
                case "depends_on": s = s with { DependsOn = DependsOn(v, p) }; break;
                case "healthcheck": s = s with { Healthcheck = Healthcheck(v, p) }; break;
                case "restart": s = s with { Restart = Restart(v, p) }; break;
                case "deploy": s = s with { Deploy = Deploy(v, p) }; break;
                case "scale": s = s with { Scale = NonNegative(v, p) }; break;
                case "labels": s = s with { Labels = NodeReader.StringMap(v, p) }; break;
                case "annotations": s = s with { Annotations = NodeReader.StringMap(v, p) }; break;
                case "container_name": s = s with { ContainerName = NodeReader.String(v, p) }; break;
                case "hostname": s = s with { Hostname = NodeReader.String(v, p) }; break;
                case "domainname": s = s with { DomainName = NodeReader.String(v, p) }; break;
                case "user": s = s with { User = NodeReader.String(v, p) }; break;
                case "working_dir": s = s with { WorkingDir = NodeReader.String(v, p) }; break;
                case "read_only": s = s with { ReadOnly = NodeReader.Bool(v, p) ?? false }; break;
                case "privileged": s = s with { Privileged = NodeReader.Bool(v, p) ?? false }; break;
                case "cap_add": s = s with { CapAdd = NodeReader.StringList(v, p, allowString: false) }; break;
                case "cap_drop": s = s with { CapDrop = NodeReader.StringList(v, p, allowString: false) }; break;
                case "security_opt": s = s with { SecurityOpt = NodeReader.StringList(v, p, allowString: false) }; break;
                case "stop_signal": s = s with { StopSignal = NodeReader.String(v, p) }; break;
                case "stop_grace_period": s = s with { StopGracePeriod = NodeReader.Duration(v, p) }; break;
                case "init": s = s with { Init = NodeReader.Bool(v, p) }; break;
                case "logging": s = s with { Logging = Logging(v, p) }; break;
                case "extra_hosts": s = s with { ExtraHosts = ExtraHosts(v, p) }; break;
                case "dns": s = s with { Dns = NodeReader.StringList(v, p) }; break;
                case "dns_search": s = s with { DnsSearch = NodeReader.StringList(v, p) }; break;
                case "dns_opt": s = s with { DnsOpt = NodeReader.StringList(v, p, allowString: false) }; break;
                case "ulimits": s = s with { Ulimits = Ulimits(v, p) }; break;
                case "sysctls": s = s with { Sysctls = NodeReader.StringMap(v, p) }; break;
                case "secrets": s = s with { Secrets = FileReferences(v, p) }; break;
                case "configs": s = s with { Configs = FileReferences(v, p) }; break;
                case "pull_policy": s = s with { PullPolicy = PullPolicy(v, p) }; break;
                case "profiles": s = s with { Profiles = NodeReader.StringList(v, p, allowString: false) }; break;
                case "tty": s = s with { Tty = NodeReader.Bool(v, p) ?? false }; break;
                case "stdin_open": s = s with { StdinOpen = NodeReader.Bool(v, p) ?? false }; break;
                case "platform": s = s with { Platform = NodeReader.String(v, p) }; break;
                case "pid": s = s with { Pid = NodeReader.String(v, p) }; break;
                case "ipc": s = s with { Ipc = NodeReader.String(v, p) }; break;
                case "shm_size": s = s with { ShmSize = NodeReader.Bytes(v, p) }; break;
                case "mem_limit": s = s with { MemLimit = NodeReader.Bytes(v, p) }; break;
                case "cpus": s = s with { Cpus = NodeReader.Double(v, p) }; break;
                case "devices": s = s with { Devices = Devices(v, p) }; break;
                case "group_add": s = s with { GroupAdd = NodeReader.StringList(v, p, allowString: false) }; break;
                case "links": s = s with { Links = NodeReader.StringList(v, p, allowString: false) }; break;
                case "mac_address": s = s with { MacAddress = NodeReader.String(v, p) }; break;
                case "extends": break; // resolved before parsing
                default:
                    ctx.Warn($"{p}: not supported by Berth yet, ignored");
                    break;
            }
        }
        s = s with { Environment = MergeEnvironment(s.EnvFiles, environment, ctx, path) };
        if (s.NetworkMode is null && s.Networks.Count == 0)
            s = s with { Networks = new SortedDictionary<string, ServiceNetworkConfig>(StringComparer.Ordinal) { ["default"] = new() } };
        return s;
    }

    private static List<string>? Command(Node v, string p)
    {
        switch (v)
        {
            case ScalarNode { IsNull: true }:
                return null;
            case ScalarNode s:
                try { return ShellWords.Split(s.Value!); }
                catch (InterpolationException ex) { throw Errors.At(v, p, ex.Message); }
            default:
                return NodeReader.StringList(v, p);
        }
    }

    private static string Restart(Node v, string p)
    {
        var r = NodeReader.RequiredString(v, p);
        var name = r.Split(':')[0];
        if (name is not ("no" or "always" or "on-failure" or "unless-stopped"))
            throw Errors.At(v, p, $"invalid restart policy \"{r}\"");
        return r;
    }

    private static string PullPolicy(Node v, string p)
    {
        var r = NodeReader.RequiredString(v, p);
        if (r is not ("always" or "never" or "missing" or "if_not_present" or "build" or "daily" or "weekly" or "refresh")
            && !r.StartsWith("every_", StringComparison.Ordinal))
            throw Errors.At(v, p, $"invalid pull_policy \"{r}\"");
        return r == "if_not_present" ? "missing" : r;
    }

    private static int? NonNegative(Node v, string p)
    {
        var n = NodeReader.Int(v, p);
        if (n < 0) throw Errors.At(v, p, "must be greater than or equal to 0");
        return n;
    }

    private static List<KeyValuePair<string, string?>> Environment(Node v, string p, LoadContext ctx)
    {
        var list = NodeReader.MapOrList(v, p);
        for (var i = 0; i < list.Count; i++)
        {
            // A bare KEY takes its value from the shell environment or .env, as docker compose resolves it.
            if (list[i].Value is null && ctx.Lookup(list[i].Key, out var found)) list[i] = new(list[i].Key, found);
        }
        return list;
    }

    private static List<EnvFileConfig> EnvFiles(Node v, string p, LoadContext ctx)
    {
        var result = new List<EnvFileConfig>();
        var items = v is SequenceNode seq ? seq.Items : [v];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var ip = v is SequenceNode ? $"{p}[{i}]" : p;
            if (item is ScalarNode { Value: { } path })
            {
                result.Add(new EnvFileConfig { Path = ctx.ResolvePath(path, item.Source) });
                continue;
            }
            var m = NodeReader.Mapping(item, ip);
            var pathNode = m.Get("path") ?? throw Errors.At(item, ip, "path is required");
            result.Add(new EnvFileConfig
            {
                Path = ctx.ResolvePath(NodeReader.RequiredString(pathNode, ip + ".path"), pathNode.Source),
                Required = m.Get("required") is { } r ? NodeReader.Bool(r, ip + ".required") ?? true : true,
                Format = m.Get("format") is { } f ? NodeReader.String(f, ip + ".format") : null,
            });
        }
        return result;
    }

    private static OrderedDictionary<string, string?> MergeEnvironment(
        IReadOnlyList<EnvFileConfig> files, List<KeyValuePair<string, string?>>? environment, LoadContext ctx, string path)
    {
        // OrderedDictionary keeps declaration order: env_file values first, then `environment`, which wins.
        var result = new OrderedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (!File.Exists(file.Path))
            {
                if (!file.Required) continue;
                throw new ComposeException($"{path}.env_file: env file {file.Path} not found: stat {file.Path}: no such file or directory");
            }
            foreach (var (k, val) in DotEnvParser.Parse(File.ReadAllText(file.Path), file.Path, ctx.Lookup))
            {
                result.Remove(k);
                result[k] = val;
            }
        }
        if (environment is not null)
            foreach (var (k, val) in environment) result[k] = val;
        return result;
    }
}
