using System.Text.Json.Nodes;
using Berth.Core.Errors;

namespace Berth.Runtime.Oci;

/// <summary>Builds an OCI runtime spec (config.json) with Docker's defaults (moby oci/defaults.go and daemon/oci_linux.go).</summary>
internal static class SpecBuilder
{
    internal static readonly string[] DefaultMaskedPaths =
    [
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    internal static readonly string[] DefaultReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    internal static JsonObject Build(ContainerLaunch l, SpecContext ctx)
    {
        var sec = l.Security;
        var caps = Capabilities.Compute(sec.CapAdd, sec.CapDrop, sec.Privileged);
        var spec = new JsonObject
        {
            ["ociVersion"] = "1.0.2",
            ["process"] = BuildProcess(l.Process, l.RootfsPath, l.Tty, caps, sec.NoNewPrivileges, l.Resources.OomScoreAdj, ctx, l.Rlimits),
            ["root"] = new JsonObject { ["path"] = l.RootfsPath, ["readonly"] = sec.ReadonlyRootfs },
        };
        if (!l.Namespaces.HostUts && l.Hostname.Length > 0) spec["hostname"] = l.Hostname;
        spec["mounts"] = BuildMounts(l.Mounts, sec.Privileged);

        var linux = new JsonObject
        {
            ["resources"] = BuildResources(l.Resources, sec.Privileged, ctx, includeDevices: true),
            ["cgroupsPath"] = CgroupInfo.ContainerCgroupsPath(l.Id),
            ["namespaces"] = BuildNamespaces(l.Namespaces, ctx),
        };
        if (!l.Namespaces.NetworkMode.Equals("host", StringComparison.Ordinal))
        {
            // Docker lets unprivileged users bind low ports and ping inside their own network namespace.
            linux["sysctl"] = new JsonObject { ["net.ipv4.ip_unprivileged_port_start"] = "0", ["net.ipv4.ping_group_range"] = "0 2147483647" };
        }
        if (l.Sysctls is { Count: > 0 } sysctls)
        {
            var table = linux["sysctl"] as JsonObject ?? [];
            foreach (var (k, v) in sysctls) table[k] = v;
            linux["sysctl"] = table;
        }
        if (sec.Privileged)
        {
            linux["devices"] = HostDevices.List();
        }
        else
        {
            if (l.Devices is { Count: > 0 } devices) DeviceRules.Add(devices, linux);
            if (Seccomp(sec.SeccompProfilePath, caps, ctx) is { } seccomp) linux["seccomp"] = seccomp;
            linux["maskedPaths"] = Strings(sec.MaskedPaths ?? DefaultMaskedPaths);
            linux["readonlyPaths"] = Strings(sec.ReadonlyPaths ?? DefaultReadonlyPaths);
        }
        spec["linux"] = linux;
        if (l.Annotations is { Count: > 0 } ann)
        {
            var a = new JsonObject();
            foreach (var (k, v) in ann) a[k] = v;
            spec["annotations"] = a;
        }
        return spec;
    }

    internal static JsonObject BuildProcess(ProcessSpec p, string rootfs, bool tty, IReadOnlyList<string> caps, bool noNewPrivileges, int? oomScoreAdj, SpecContext ctx,
        IReadOnlyList<Rlimit>? rlimits = null)
    {
        var user = UserResolver.Resolve(rootfs, p.User, p.AdditionalGroups);
        var env = new List<string>(p.Env);
        // Docker sets HOME from the passwd entry when the image and the user did not.
        if (!env.Any(e => e.StartsWith("HOME=", StringComparison.Ordinal))) env.Add("HOME=" + user.Home);
        if (tty && !env.Any(e => e.StartsWith("TERM=", StringComparison.Ordinal))) env.Add("TERM=xterm");
        var u = new JsonObject { ["uid"] = user.Uid, ["gid"] = user.Gid };
        if (user.AdditionalGids.Count > 0) u["additionalGids"] = new JsonArray([.. user.AdditionalGids.Select(g => (JsonNode)g)]);
        var process = new JsonObject { ["terminal"] = tty };
        if (tty && p.ConsoleHeight is > 0 && p.ConsoleWidth is > 0)
            process["consoleSize"] = new JsonObject { ["height"] = p.ConsoleHeight.Value, ["width"] = p.ConsoleWidth.Value };
        process["user"] = u;
        if (p.Args.Count == 0) throw new InvalidArgumentException("no command specified");
        process["args"] = Strings(p.Args);
        process["env"] = Strings(env);
        process["cwd"] = p.Cwd.Length > 0 ? p.Cwd : "/";
        process["capabilities"] = new JsonObject { ["bounding"] = Strings(caps), ["effective"] = Strings(caps), ["permitted"] = Strings(caps) };
        process["rlimits"] = DeviceRules.Rlimits(rlimits, ctx);
        process["noNewPrivileges"] = noNewPrivileges;
        if (oomScoreAdj is { } adj) process["oomScoreAdj"] = adj;
        return process;
    }

    private static JsonArray BuildMounts(IReadOnlyList<SpecMount> extra, bool privileged)
    {
        var sysOpts = privileged ? new[] { "nosuid", "noexec", "nodev" } : ["nosuid", "noexec", "nodev", "ro"];
        var cgroupOpts = privileged ? new[] { "rw", "nosuid", "noexec", "nodev" } : ["ro", "nosuid", "noexec", "nodev"];
        SpecMount[] defaults =
        [
            new("/proc", "proc", "proc", ["nosuid", "noexec", "nodev"]),
            new("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            new("/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
            new("/sys", "sysfs", "sysfs", sysOpts),
            new("/sys/fs/cgroup", "cgroup", "cgroup", cgroupOpts),
            new("/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]),
            new("/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", "size=67108864"]),
        ];
        var result = new JsonArray();
        // A user mount at a default destination replaces the default (Docker: "user mounts win").
        var userDest = new HashSet<string>(extra.Select(m => m.Destination.TrimEnd('/')), StringComparer.Ordinal);
        foreach (var m in defaults.Where(d => !userDest.Contains(d.Destination)).Concat(extra)) result.Add((JsonNode)Mount(m));
        return result;
    }

    private static JsonObject Mount(SpecMount m) => new()
    {
        ["destination"] = m.Destination,
        ["type"] = m.Type,
        ["source"] = m.Source,
        ["options"] = Strings(m.Options),
    };

    internal static JsonObject BuildResources(ResourceLimits r, bool privileged, SpecContext ctx, bool includeDevices)
    {
        var res = new JsonObject();
        if (includeDevices) res["devices"] = privileged ? new JsonArray(new JsonObject { ["allow"] = true, ["access"] = "rwm" }) : DefaultDeviceRules();
        if (r.MemoryBytes is > 0 || r.MemorySwapBytes is not null)
        {
            var mem = new JsonObject();
            if (r.MemoryBytes is > 0 and var limit) mem["limit"] = limit;
            if (ctx.SwapLimitSupported)
            {
                // Docker: unset swap means as much swap as memory (memory+swap = 2×memory); -1 is unlimited.
                long? swap = r.MemorySwapBytes switch
                {
                    null or 0 when r.MemoryBytes is > 0 => r.MemoryBytes * 2,
                    null or 0 => null,
                    var s => s,
                };
                if (swap is { } sw) mem["swap"] = sw;
            }
            if (mem.Count > 0) res["memory"] = mem;
        }
        var cpu = new JsonObject();
        if (r.CpuShares is > 0 and var shares) cpu["shares"] = (ulong)shares;
        if (r.NanoCpus is > 0 and var nano)
        {
            const long Period = 100000;
            cpu["period"] = (ulong)Period;
            cpu["quota"] = nano * Period / 1_000_000_000;
        }
        else
        {
            if (r.CpuPeriod is > 0 and var period) cpu["period"] = (ulong)period;
            if (r.CpuQuota is > 0 and var quota) cpu["quota"] = quota;
        }
        if (!string.IsNullOrEmpty(r.CpusetCpus)) cpu["cpus"] = r.CpusetCpus;
        if (cpu.Count > 0) res["cpu"] = cpu;
        if (r.PidsLimit is { } pids and not 0) res["pids"] = new JsonObject { ["limit"] = pids < 0 ? -1 : pids };
        return res;
    }

    private static JsonArray DefaultDeviceRules()
    {
        // Docker's default device cgroup: deny all, then the standard character devices; /dev/fuse stays denied.
        var rules = new JsonArray(new JsonObject { ["allow"] = false, ["access"] = "rwm" });
        foreach (var (major, minor) in new (int, int)[] { (1, 5), (1, 3), (1, 9), (1, 8), (5, 0), (5, 1) })
            rules.Add((JsonNode)new JsonObject { ["allow"] = true, ["type"] = "c", ["major"] = major, ["minor"] = minor, ["access"] = "rwm" });
        rules.Add((JsonNode)new JsonObject { ["allow"] = false, ["type"] = "c", ["major"] = 10, ["minor"] = 229, ["access"] = "rwm" });
        return rules;
    }

    private static JsonArray BuildNamespaces(NamespaceOptions ns, SpecContext ctx)
    {
        var list = new JsonArray();
        void Add(string type, string? path = null)
        {
            var o = new JsonObject { ["type"] = type };
            if (path is not null) o["path"] = path;
            list.Add((JsonNode)o);
        }
        if (ns.PidFromPid is { } pidFrom) Add("pid", $"/proc/{pidFrom}/ns/pid");
        else if (!ns.HostPid) Add("pid");

        var net = ns.NetworkMode;
        if (net.StartsWith("ns:", StringComparison.Ordinal)) Add("network", net[3..]);
        else if (net.StartsWith('/')) Add("network", net);
        else if (net != "host") Add("network");

        if (ns.IpcFromPid is { } ipcFrom) Add("ipc", $"/proc/{ipcFrom}/ns/ipc");
        else if (!ns.HostIpc) Add("ipc");
        if (!ns.HostUts) Add("uts");
        Add("mount");
        // Docker's default cgroupns mode is private on v2 and host on v1.
        if (ctx.CgroupVersion == 2) Add("cgroup");
        return list;
    }

    private static JsonObject? Seccomp(string? profilePath, IReadOnlyList<string> caps, SpecContext ctx)
    {
        if (profilePath == "unconfined") return null;
        var profile = profilePath is null ? DefaultSeccompProfile.Profile : SeccompProfile.Parse(File.ReadAllText(profilePath));
        return profile.Render(new HashSet<string>(caps, StringComparer.Ordinal), ctx.Arch, ctx.Kernel);
    }

    internal static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);
}
