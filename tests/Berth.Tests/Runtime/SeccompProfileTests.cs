using System.Text.Json.Nodes;
using Berth.Runtime.Oci;

namespace Berth.Tests.Runtime;

/// <summary>Our default profile must allow and refuse exactly what Docker's default.json does, for any capability set.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SeccompProfileTests
{
    internal const string DockerProfilePath = "/work/shared/spec/seccomp/default.json";
    private static readonly Version s_kernel = new(6, 1);

    public static TheoryData<string[]> CapSets()
    {
        var data = new TheoryData<string[]>();
        data.Add(Capabilities.Default);
        data.Add([.. Capabilities.Default, "CAP_SYS_ADMIN"]);
        data.Add([.. Capabilities.Default, "CAP_SYS_PTRACE", "CAP_SYS_TIME", "CAP_SYS_NICE"]);
        data.Add([]);
        data.Add([.. Capabilities.Known]);
        return data;
    }

    [DockerProfileTheory]
    [MemberData(nameof(CapSets))]
    public void Render_SameDecisionsAsDockerDefault(string[] caps)
    {
        var docker = SeccompProfile.Parse(File.ReadAllText(DockerProfilePath));
        foreach (var arch in new[] { "amd64", "arm64" })
        {
            var expected = Decisions(docker.Render(caps, arch, s_kernel));
            var actual = Decisions(DefaultSeccompProfile.Profile.Render(caps, arch, s_kernel));
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
            foreach (var (name, rules) in expected) Assert.Equal(rules, actual[name]);
        }
        var dockerRendered = docker.Render(caps, "amd64", s_kernel);
        var ours = DefaultSeccompProfile.Profile.Render(caps, "amd64", s_kernel);
        Assert.Equal(dockerRendered["defaultAction"]!.GetValue<string>(), ours["defaultAction"]!.GetValue<string>());
        Assert.Equal(dockerRendered["defaultErrnoRet"]!.GetValue<int>(), ours["defaultErrnoRet"]!.GetValue<int>());
    }

    [Fact]
    public void Render_DefaultCaps_RefusesPrivilegedCallsAllowsOrdinaryOnes()
    {
        var d = Decisions(DefaultSeccompProfile.Profile.Render(Capabilities.Default, "amd64", s_kernel));
        foreach (var refused in new[] { "unshare", "mount", "umount2", "setns", "keyctl", "add_key", "request_key", "reboot", "init_module", "bpf", "kexec_load", "open_by_handle_at", "clock_settime" })
            Assert.False(d.ContainsKey(refused), refused);
        foreach (var allowed in new[] { "read", "write", "openat", "execve", "mmap", "futex", "clone3", "exit_group", "chroot", "arch_prctl" })
            Assert.True(d.ContainsKey(allowed), allowed);
        // clone without CAP_SYS_ADMIN only without namespace flags; clone3 answers ENOSYS so libc falls back to clone.
        Assert.Equal(["SCMP_ACT_ALLOW|0|[{\"index\":0,\"value\":2114060288,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]"], d["clone"]);
        Assert.Equal(["SCMP_ACT_ERRNO|38|"], d["clone3"]);
    }

    [Fact]
    public void Render_Ptrace_DependsOnKernelOrCapability()
    {
        Assert.False(Decisions(DefaultSeccompProfile.Profile.Render(Capabilities.Default, "amd64", new Version(4, 4))).ContainsKey("ptrace"));
        Assert.True(Decisions(DefaultSeccompProfile.Profile.Render(Capabilities.Default, "amd64", new Version(4, 8))).ContainsKey("ptrace"));
        Assert.True(Decisions(DefaultSeccompProfile.Profile.Render(["CAP_SYS_PTRACE"], "amd64", new Version(4, 4))).ContainsKey("ptrace"));
    }

    [Fact]
    public void Render_SysAdmin_AllowsMountAndUnshare()
    {
        var d = Decisions(DefaultSeccompProfile.Profile.Render([.. Capabilities.Default, "CAP_SYS_ADMIN"], "amd64", s_kernel));
        Assert.Equal(["SCMP_ACT_ALLOW|0|"], d["unshare"]);
        Assert.Equal(["SCMP_ACT_ALLOW|0|"], d["mount"]);
        Assert.Equal(["SCMP_ACT_ALLOW|0|"], d["clone"]);
    }

    [Fact]
    public void Render_Amd64_Architectures()
    {
        var json = DefaultSeccompProfile.Profile.Render(Capabilities.Default, "amd64", s_kernel);
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], json["architectures"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    /// <summary>syscall name → sorted "action|errno|args" entries; absence means the default action (refused).</summary>
    internal static Dictionary<string, List<string>> Decisions(JsonObject rendered)
    {
        var map = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var rule in rendered["syscalls"]!.AsArray())
        {
            var key = $"{rule!["action"]!.GetValue<string>()}|{(rule["errnoRet"]?.GetValue<int>() ?? 0)}|{rule["args"]?.ToJsonString() ?? ""}";
            foreach (var n in rule["names"]!.AsArray())
            {
                var name = n!.GetValue<string>();
                if (!map.TryGetValue(name, out var list)) map[name] = list = [];
                if (!list.Contains(key)) list.Add(key);
            }
        }
        foreach (var list in map.Values) list.Sort(StringComparer.Ordinal);
        return map;
    }
}
