using System.Globalization;
using Berth.Api.Models.Containers;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary>The flags shared by <c>run</c> and <c>create</c>, turned into the create body the docker CLI sends.</summary>
internal static class ContainerOptions
{
    public static readonly OptionSpec[] Specs =
    [
        OptionSpec.Flag("detach", 'd'), OptionSpec.Flag("interactive", 'i'), OptionSpec.Flag("tty", 't'), OptionSpec.Flag("rm"),
        OptionSpec.Value("name"), OptionSpec.Value("env", 'e'), OptionSpec.Value("env-file"), OptionSpec.Value("workdir", 'w'),
        OptionSpec.Value("user", 'u'), OptionSpec.Value("entrypoint"), OptionSpec.Value("hostname", 'h'), OptionSpec.Value("domainname"),
        OptionSpec.Value("label", 'l'), OptionSpec.Value("label-file"), OptionSpec.Value("network", null, "net"), OptionSpec.Value("network-alias", null, "net-alias"),
        OptionSpec.Value("memory", 'm'), OptionSpec.Value("memory-swap"), OptionSpec.Value("memory-reservation"), OptionSpec.Value("cpus"),
        OptionSpec.Value("cpu-shares", 'c'), OptionSpec.Value("cpuset-cpus"), OptionSpec.Value("pids-limit"), OptionSpec.Value("publish", 'p'),
        OptionSpec.Flag("publish-all", 'P'), OptionSpec.Value("expose"), OptionSpec.Value("volume", 'v'), OptionSpec.Value("mount"),
        OptionSpec.Value("restart"), OptionSpec.Value("pull"), OptionSpec.Value("platform"), OptionSpec.Flag("init"), OptionSpec.Flag("privileged"),
        OptionSpec.Flag("read-only"), OptionSpec.Value("cap-add"), OptionSpec.Value("cap-drop"), OptionSpec.Value("security-opt"),
        OptionSpec.Value("stop-signal"), OptionSpec.Value("stop-timeout"), OptionSpec.Value("tmpfs"), OptionSpec.Value("add-host"),
        OptionSpec.Value("dns"), OptionSpec.Value("dns-search"), OptionSpec.Value("dns-option"), OptionSpec.Value("shm-size"),
        OptionSpec.Value("ulimit"), OptionSpec.Value("sysctl"), OptionSpec.Value("group-add"), OptionSpec.Value("log-driver"),
        OptionSpec.Value("log-opt"), OptionSpec.Value("health-cmd"), OptionSpec.Value("health-interval"), OptionSpec.Value("health-retries"),
        OptionSpec.Value("health-timeout"), OptionSpec.Value("health-start-period"), OptionSpec.Value("health-start-interval"),
        OptionSpec.Value("health-on-failure"), OptionSpec.Flag("no-healthcheck"), OptionSpec.Value("ipc"),
        OptionSpec.Value("pid"), OptionSpec.Value("uts"), OptionSpec.Value("userns"), OptionSpec.Value("cgroupns"), OptionSpec.Value("runtime"),
        OptionSpec.Value("attach", 'a'), OptionSpec.Value("sig-proxy"), OptionSpec.Value("detach-keys"), OptionSpec.Value("cidfile"),
        OptionSpec.Value("device"), OptionSpec.Value("ip"), OptionSpec.Value("mac-address"), OptionSpec.Flag("quiet", 'q'),
        OptionSpec.Value("oom-score-adj"), OptionSpec.Flag("oom-kill-disable"), OptionSpec.Value("volumes-from"), OptionSpec.Value("link"),
    ];

    /// <summary>The label carrying <c>--health-on-failure</c> (none|kill|restart|stop) to the daemon.</summary>
    public const string HealthOnFailureLabel = "io.berth.health-on-failure";

    /// <summary>Builds the create body; positional[0] is the image, the rest the command.</summary>
    public static ContainerCreateRequest Build(ParsedArgs a, Func<string, string?> env, (int Height, int Width)? consoleSize)
    {
        if (a.Positionals.Count == 0) throw new UsageException("requires at least 1 argument");
        var detach = a.Flag("detach");
        var interactive = a.Flag("interactive");
        var attach = a.Values("attach");
        var envList = new List<string>();
        foreach (var file in a.Values("env-file")) envList.AddRange(ReadEnvFile(file, env));
        foreach (var e in a.Values("env")) envList.Add(ExpandEnv(e, env));
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in a.Values("label-file"))
        {
            foreach (var line in File.ReadAllLines(file).Where(l => l.Length > 0 && !l.StartsWith('#'))) AddLabel(labels, line);
        }
        foreach (var l in a.Values("label")) AddLabel(labels, l);
        if (a.Value("health-on-failure") is { } onFailure)
        {
            // Beyond Docker: the daemon reads the action from this label, so the create body stays Docker's.
            if (onFailure is not ("none" or "kill" or "restart" or "stop")) throw new UsageException($"invalid argument \"{onFailure}\" for \"--health-on-failure\" flag: none, kill, restart or stop");
            labels[HealthOnFailureLabel] = onFailure;
        }

        var exposed = new Dictionary<string, EmptyObject>(StringComparer.Ordinal);
        var bindings = new Dictionary<string, List<PortBinding>?>(StringComparer.Ordinal);
        foreach (var p in a.Values("publish")) PortSpec.Add(p, exposed, bindings);
        foreach (var e in a.Values("expose")) exposed[e.Contains('/') ? e : e + "/tcp"] = new EmptyObject();

        var binds = new List<string>();
        var volumes = new Dictionary<string, EmptyObject>(StringComparer.Ordinal);
        foreach (var v in a.Values("volume"))
        {
            // "/data" alone is an anonymous volume; "src:/dst[:opts]" a bind or named volume.
            if (v.Contains(':')) binds.Add(AbsoluteBindSource(v));
            else volumes[v] = new EmptyObject();
        }
        var network = a.Value("network") ?? "default";
        var restart = ParseRestart(a.Value("restart"));
        var tmpfs = a.Values("tmpfs").ToDictionary(t => t.Split(':', 2)[0], t => t.Contains(':') ? t.Split(':', 2)[1] : "", StringComparer.Ordinal);
        var logOpts = a.Values("log-opt").ToDictionary(o => o.Split('=', 2)[0], o => o.Contains('=') ? o.Split('=', 2)[1] : "", StringComparer.Ordinal);

        var host = new HostConfig
        {
            Binds = binds.Count > 0 ? binds : null,
            NetworkMode = network,
            PortBindings = bindings,
            RestartPolicy = restart,
            AutoRemove = a.Flag("rm"),
            Memory = a.Value("memory") is { } m ? Units.RamInBytes(m) : 0,
            MemorySwap = a.Value("memory-swap") is { } ms ? (ms == "-1" ? -1 : Units.RamInBytes(ms)) : 0,
            MemoryReservation = a.Value("memory-reservation") is { } mr ? Units.RamInBytes(mr) : 0,
            NanoCpus = a.Value("cpus") is { } cpus ? Units.NanoCpus(cpus) : 0,
            CpuShares = a.Value("cpu-shares") is { } cs ? long.Parse(cs, CultureInfo.InvariantCulture) : 0,
            CpusetCpus = a.Value("cpuset-cpus") ?? "",
            PidsLimit = a.Value("pids-limit") is { } pl ? long.Parse(pl, CultureInfo.InvariantCulture) : null,
            Privileged = a.Flag("privileged"),
            ReadonlyRootfs = a.Flag("read-only"),
            PublishAllPorts = a.Flag("publish-all"),
            CapAdd = NullIfEmpty(a.Values("cap-add")),
            CapDrop = NullIfEmpty(a.Values("cap-drop")),
            SecurityOpt = NullIfEmpty(a.Values("security-opt")),
            Init = a.Has("init") ? a.Flag("init") : null,
            Tmpfs = tmpfs.Count > 0 ? tmpfs : null,
            ExtraHosts = NullIfEmpty(a.Values("add-host")),
            Dns = [.. a.Values("dns")],
            DnsSearch = [.. a.Values("dns-search")],
            DnsOptions = [.. a.Values("dns-option")],
            ShmSize = a.Value("shm-size") is { } shm ? Units.RamInBytes(shm) : 0,
            Ulimits = NullIfEmpty(a.Values("ulimit"))?.Select(ParseUlimit).ToList(),
            Sysctls = a.Values("sysctl").Count > 0 ? a.Values("sysctl").ToDictionary(s => s.Split('=', 2)[0], s => s.Split('=', 2).ElementAtOrDefault(1) ?? "", StringComparer.Ordinal) : null,
            GroupAdd = NullIfEmpty(a.Values("group-add")),
            LogConfig = new LogConfig { Type = a.Value("log-driver") ?? "", Config = logOpts },
            IpcMode = a.Value("ipc") ?? "",
            PidMode = a.Value("pid") ?? "",
            UTSMode = a.Value("uts") ?? "",
            UsernsMode = a.Value("userns") ?? "",
            CgroupnsMode = a.Value("cgroupns") ?? "",
            Runtime = a.Value("runtime"),
            OomScoreAdj = a.Int("oom-score-adj") ?? 0,
            OomKillDisable = a.Has("oom-kill-disable") ? a.Flag("oom-kill-disable") : null,
            VolumesFrom = NullIfEmpty(a.Values("volumes-from")),
            Links = NullIfEmpty(a.Values("link")),
            MemorySwappiness = -1,
            Devices = NullIfEmpty(a.Values("device"))?.Select(ParseDevice).ToList(),
            Mounts = NullIfEmpty(a.Values("mount"))?.Select(MountSpecParser.Parse).ToList(),
            ConsoleSize = a.Flag("tty") && consoleSize is { } cs2 ? [cs2.Height, cs2.Width] : [0, 0],
        };
        var endpoint = new EndpointSettings { Aliases = NullIfEmpty(a.Values("network-alias")) };
        if (a.Value("ip") is { } ip) endpoint.IPAMConfig = new EndpointIpamConfig { IPv4Address = ip };
        var req = new ContainerCreateRequest
        {
            Hostname = a.Value("hostname") ?? "",
            Domainname = a.Value("domainname") ?? "",
            User = a.Value("user") ?? "",
            AttachStdin = interactive || attach.Contains("stdin"),
            AttachStdout = !detach && (attach.Count == 0 || attach.Contains("stdout")),
            AttachStderr = !detach && (attach.Count == 0 || attach.Contains("stderr")),
            ExposedPorts = exposed.Count > 0 ? exposed : null,
            Tty = a.Flag("tty"),
            OpenStdin = interactive,
            StdinOnce = interactive && !detach,
            Env = envList,
            Cmd = a.Positionals.Count > 1 ? [.. a.Positionals.Skip(1)] : null,
            Image = a.Positionals[0],
            Volumes = volumes.Count > 0 ? volumes : null,
            WorkingDir = a.Value("workdir") ?? "",
            Entrypoint = a.Has("entrypoint") ? [a.Value("entrypoint")!] : null,
            Labels = labels,
            StopSignal = a.Value("stop-signal"),
            StopTimeout = a.Int("stop-timeout"),
            MacAddress = a.Value("mac-address"),
            Healthcheck = HealthFlags(a),
            HostConfig = host,
            NetworkingConfig = new NetworkingConfig { EndpointsConfig = new() { [network] = endpoint } },
        };
        return req;
    }

    /// <summary>Like docker 23+: a relative bind source ("./data:/data", ".:/src") is made absolute on the client.</summary>
    internal static string AbsoluteBindSource(string v)
    {
        var colon = v.IndexOf(':');
        var source = v[..colon];
        return source == "." || source.StartsWith("./", StringComparison.Ordinal) || source.StartsWith("../", StringComparison.Ordinal) || source == ".."
            ? Path.GetFullPath(source) + v[colon..]
            : v;
    }

    private static HealthConfig? HealthFlags(ParsedArgs a)
    {
        if (a.Flag("no-healthcheck")) return new HealthConfig { Test = ["NONE"] };
        if (!a.Has("health-cmd") && !a.Has("health-interval") && !a.Has("health-retries") && !a.Has("health-timeout") && !a.Has("health-start-period") && !a.Has("health-start-interval")) return null;
        return new HealthConfig
        {
            Test = a.Value("health-cmd") is { } cmd ? ["CMD-SHELL", cmd] : null,
            Interval = a.Value("health-interval") is { } i ? Units.GoDurationNanos(i) : 0,
            Timeout = a.Value("health-timeout") is { } t ? Units.GoDurationNanos(t) : 0,
            StartPeriod = a.Value("health-start-period") is { } s ? Units.GoDurationNanos(s) : 0,
            StartInterval = a.Value("health-start-interval") is { } si ? Units.GoDurationNanos(si) : 0,
            Retries = a.Int("health-retries") ?? 0,
        };
    }

    private static List<string>? NullIfEmpty(IReadOnlyList<string> values) => values.Count > 0 ? [.. values] : null;

    private static void AddLabel(Dictionary<string, string> labels, string l)
    {
        var eq = l.IndexOf('=');
        if (eq < 0) labels[l] = "";
        else labels[l[..eq]] = l[(eq + 1)..];
    }

    /// <summary><c>-e K</c> takes K from the environment (dropped when unset), <c>-e K=V</c> is literal.</summary>
    internal static string ExpandEnv(string e, Func<string, string?> env)
    {
        if (e.Contains('=')) return e;
        return env(e) is { } v ? e + "=" + v : e;
    }

    private static IEnumerable<string> ReadEnvFile(string path, Func<string, string?> env)
    {
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.TrimStart();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.Contains('=')) yield return line;
            else if (env(line) is { } v) yield return line + "=" + v;
        }
    }

    internal static RestartPolicy ParseRestart(string? spec)
    {
        if (string.IsNullOrEmpty(spec)) return new RestartPolicy { Name = "no" };
        var parts = spec.Split(':', 2);
        var policy = new RestartPolicy { Name = parts[0] };
        if (parts.Length == 2)
        {
            if (parts[0] != "on-failure") throw new UsageException($"invalid restart policy: maximum retry count can only be used with 'on-failure'");
            policy.MaximumRetryCount = int.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        if (parts[0] is not ("no" or "always" or "unless-stopped" or "on-failure")) throw new UsageException($"invalid restart policy '{parts[0]}'");
        return policy;
    }

    private static Ulimit ParseUlimit(string s)
    {
        var eq = s.IndexOf('=');
        if (eq < 0) throw new UsageException($"invalid ulimit argument: {s}");
        var limits = s[(eq + 1)..].Split(':');
        var soft = long.Parse(limits[0], CultureInfo.InvariantCulture);
        var hard = limits.Length > 1 ? long.Parse(limits[1], CultureInfo.InvariantCulture) : soft;
        return new Ulimit { Name = s[..eq], Soft = soft, Hard = hard };
    }

    private static DeviceMapping ParseDevice(string s)
    {
        var parts = s.Split(':');
        return new DeviceMapping
        {
            PathOnHost = parts[0],
            PathInContainer = parts.Length > 1 ? parts[1] : parts[0],
            CgroupPermissions = parts.Length > 2 ? parts[2] : "rwm",
        };
    }
}
