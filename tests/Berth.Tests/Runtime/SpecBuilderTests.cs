using System.Text.Json.Nodes;
using Berth.Runtime;
using Berth.Runtime.Oci;

namespace Berth.Tests.Runtime;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SpecBuilderTests
{
    private static readonly SpecContext s_v1 = new(1, SwapLimitSupported: true, NoFileSoft: 20000, NoFileHard: 20000, "amd64", new Version(6, 1));

    private static ContainerLaunch Launch(NamespaceOptions? ns = null, ResourceLimits? res = null, SecurityOptions? sec = null, IReadOnlyList<SpecMount>? mounts = null, bool tty = false)
        => new("abc123", "/bundle", "/nonexistent-rootfs", new ProcessSpec(["sh", "-c", "true"], ["PATH=/bin"], "/work", "", ConsoleHeight: 24, ConsoleWidth: 80),
            "myhost", tty, false, false, "/bundle/log", mounts ?? [], ns ?? new NamespaceOptions("none"), res ?? new ResourceLimits(), sec ?? new SecurityOptions(),
            new Dictionary<string, string> { ["org.example"] = "1" });

    private static string[] Strs(JsonNode? n) => [.. n!.AsArray().Select(x => x!.GetValue<string>())];

    [Fact]
    public void Build_Defaults_MatchDocker()
    {
        var s = SpecBuilder.Build(Launch(), s_v1);
        Assert.Equal("1.0.2", s["ociVersion"]!.GetValue<string>());
        Assert.Equal("myhost", s["hostname"]!.GetValue<string>());
        Assert.Equal("/nonexistent-rootfs", s["root"]!["path"]!.GetValue<string>());
        Assert.False(s["root"]!["readonly"]!.GetValue<bool>());

        var p = s["process"]!;
        Assert.False(p["terminal"]!.GetValue<bool>());
        Assert.Null(p["consoleSize"]);
        Assert.Equal(0u, p["user"]!["uid"]!.GetValue<uint>());
        Assert.Equal(["sh", "-c", "true"], Strs(p["args"]));
        Assert.Equal(["PATH=/bin", "HOME=/"], Strs(p["env"]));
        Assert.Equal("/work", p["cwd"]!.GetValue<string>());
        foreach (var set in new[] { "bounding", "effective", "permitted" })
            Assert.Equal(Capabilities.Default.Order(StringComparer.Ordinal), Strs(p["capabilities"]![set]).Order(StringComparer.Ordinal));
        Assert.Equal("""[{"type":"RLIMIT_NOFILE","hard":20000,"soft":20000}]""", p["rlimits"]!.ToJsonString());
        Assert.False(p["noNewPrivileges"]!.GetValue<bool>());

        var mounts = s["mounts"]!.AsArray();
        Assert.Equal(["/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm"], mounts.Select(m => m!["destination"]!.GetValue<string>()));
        Assert.Contains("ro", Strs(mounts[3]!["options"]));
        Assert.Contains("ro", Strs(mounts[4]!["options"]));
        Assert.Equal("""{"destination":"/dev/shm","type":"tmpfs","source":"shm","options":["nosuid","noexec","nodev","mode=1777","size=67108864"]}""", mounts[6]!.ToJsonString());

        var linux = s["linux"]!;
        Assert.Equal("/berth/abc123", linux["cgroupsPath"]!.GetValue<string>());
        Assert.Equal(["pid", "network", "ipc", "uts", "mount"], linux["namespaces"]!.AsArray().Select(n => n!["type"]!.GetValue<string>()));
        Assert.Equal(["/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
            "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap"], Strs(linux["maskedPaths"]));
        Assert.Equal(["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"], Strs(linux["readonlyPaths"]));
        var devices = linux["resources"]!["devices"]!.AsArray();
        Assert.Equal("""{"allow":false,"access":"rwm"}""", devices[0]!.ToJsonString());
        Assert.Equal(8, devices.Count);
        Assert.Null(linux["resources"]!["memory"]);
        Assert.Equal("SCMP_ACT_ERRNO", linux["seccomp"]!["defaultAction"]!.GetValue<string>());
        Assert.Null(linux["devices"]);
        Assert.Equal("0", linux["sysctl"]!["net.ipv4.ip_unprivileged_port_start"]!.GetValue<string>());
        Assert.Equal("1", s["annotations"]!["org.example"]!.GetValue<string>());
    }

    [Fact]
    public void Build_CgroupV2_AddsCgroupNamespace()
    {
        var s = SpecBuilder.Build(Launch(), s_v1 with { CgroupVersion = 2 });
        Assert.Equal("cgroup", s["linux"]!["namespaces"]!.AsArray().Last()!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Build_HostAndJoinedNamespaces()
    {
        var s = SpecBuilder.Build(Launch(new NamespaceOptions("host", IpcFromPid: "42", HostPid: true, HostUts: true)), s_v1);
        Assert.Equal("""[{"type":"ipc","path":"/proc/42/ns/ipc"},{"type":"mount"}]""", s["linux"]!["namespaces"]!.ToJsonString());
        Assert.Null(s["hostname"]);
        Assert.Null(s["linux"]!["sysctl"]);

        var joined = SpecBuilder.Build(Launch(new NamespaceOptions("ns:/run/netns/x", PidFromPid: "7")), s_v1);
        Assert.Equal("""[{"type":"pid","path":"/proc/7/ns/pid"},{"type":"network","path":"/run/netns/x"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}]""",
            joined["linux"]!["namespaces"]!.ToJsonString());
    }

    [Fact]
    public void Build_Resources()
    {
        var s = SpecBuilder.Build(Launch(res: new ResourceLimits(MemoryBytes: 32 << 20, NanoCpus: 1_500_000_000, CpuShares: 512, CpusetCpus: "0-1", PidsLimit: 10, OomScoreAdj: 300)), s_v1);
        var r = s["linux"]!["resources"]!;
        Assert.Equal("""{"limit":33554432,"swap":67108864}""", r["memory"]!.ToJsonString());
        Assert.Equal("""{"shares":512,"period":100000,"quota":150000,"cpus":"0-1"}""", r["cpu"]!.ToJsonString());
        Assert.Equal("""{"limit":10}""", r["pids"]!.ToJsonString());
        Assert.Equal(300, s["process"]!["oomScoreAdj"]!.GetValue<int>());

        var noSwap = SpecBuilder.Build(Launch(res: new ResourceLimits(MemoryBytes: 32 << 20, MemorySwapBytes: -1)), s_v1 with { SwapLimitSupported = false });
        Assert.Equal("""{"limit":33554432}""", noSwap["linux"]!["resources"]!["memory"]!.ToJsonString());
        var unlimited = SpecBuilder.Build(Launch(res: new ResourceLimits(MemoryBytes: 32 << 20, MemorySwapBytes: -1)), s_v1);
        Assert.Equal("""{"limit":33554432,"swap":-1}""", unlimited["linux"]!["resources"]!["memory"]!.ToJsonString());
    }

    [Fact]
    public void Build_Privileged_AllCapsNoSeccompNoMaskedPathsAllDevices()
    {
        var s = SpecBuilder.Build(Launch(sec: new SecurityOptions(Privileged: true)), s_v1);
        Assert.Equal(Capabilities.All, Strs(s["process"]!["capabilities"]!["bounding"]));
        var linux = s["linux"]!;
        Assert.Null(linux["seccomp"]);
        Assert.Null(linux["maskedPaths"]);
        Assert.Null(linux["readonlyPaths"]);
        Assert.Equal("""[{"allow":true,"access":"rwm"}]""", linux["resources"]!["devices"]!.ToJsonString());
        Assert.NotNull(linux["devices"]);
        Assert.DoesNotContain("ro", Strs(s["mounts"]!.AsArray()[3]!["options"]));
    }

    [Fact]
    public void Build_SecurityOptions()
    {
        var s = SpecBuilder.Build(Launch(sec: new SecurityOptions(CapDrop: ["ALL"], CapAdd: ["NET_ADMIN"], NoNewPrivileges: true, SeccompProfilePath: "unconfined",
            ReadonlyRootfs: true, MaskedPaths: [], ReadonlyPaths: [])), s_v1);
        Assert.Equal(["CAP_NET_ADMIN"], Strs(s["process"]!["capabilities"]!["effective"]));
        Assert.True(s["process"]!["noNewPrivileges"]!.GetValue<bool>());
        Assert.True(s["root"]!["readonly"]!.GetValue<bool>());
        Assert.Null(s["linux"]!["seccomp"]);
        Assert.Empty(s["linux"]!["maskedPaths"]!.AsArray());
    }

    [Fact]
    public void Build_UserMountAtDefaultDestination_ReplacesDefault()
    {
        var s = SpecBuilder.Build(Launch(mounts: [new SpecMount("/dev/shm", "bind", "/host/shm", ["rbind", "rprivate"]), new SpecMount("/etc/hosts", "bind", "/b/hosts", ["rbind", "ro"])]), s_v1);
        var dests = s["mounts"]!.AsArray().Select(m => m!["destination"]!.GetValue<string>()).ToList();
        Assert.Single(dests, "/dev/shm");
        Assert.Equal("/etc/hosts", dests[^1]);
        Assert.Equal("bind", s["mounts"]!.AsArray().First(m => m!["destination"]!.GetValue<string>() == "/dev/shm")!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Build_Tty_ConsoleSizeAndTerm()
    {
        var p = SpecBuilder.Build(Launch(tty: true), s_v1)["process"]!;
        Assert.True(p["terminal"]!.GetValue<bool>());
        Assert.Equal("""{"height":24,"width":80}""", p["consoleSize"]!.ToJsonString());
        Assert.Contains("TERM=xterm", Strs(p["env"]));
    }
}
