using Berth.Core.Errors;
using Berth.Runtime.Oci;

namespace Berth.Tests.Runtime;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CapabilitiesTests
{
    [Fact]
    public void Compute_NoChanges_DockerDefaultFourteen()
    {
        var caps = Capabilities.Compute(null, null, privileged: false);
        Assert.Equal(14, caps.Count);
        Assert.Equal(
            ["CAP_AUDIT_WRITE", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_MKNOD", "CAP_NET_BIND_SERVICE",
             "CAP_NET_RAW", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT"],
            caps.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Compute_AddAndDrop_NormalizesNames()
    {
        var caps = Capabilities.Compute(["sys_admin", "CAP_NET_ADMIN"], ["net_raw", "cap_mknod"], privileged: false);
        Assert.Contains("CAP_SYS_ADMIN", caps);
        Assert.Contains("CAP_NET_ADMIN", caps);
        Assert.DoesNotContain("CAP_NET_RAW", caps);
        Assert.DoesNotContain("CAP_MKNOD", caps);
        Assert.Equal(14, caps.Count);
    }

    [Fact]
    public void Compute_DropAll_KeepsOnlyAdds()
        => Assert.Equal(["CAP_CHOWN"], Capabilities.Compute(["chown"], ["ALL"], privileged: false));

    [Fact]
    public void Compute_AddAll_AllButDrops()
    {
        var caps = Capabilities.Compute(["ALL"], ["SYS_ADMIN"], privileged: false);
        Assert.DoesNotContain("CAP_SYS_ADMIN", caps);
        Assert.Contains("CAP_SYS_PTRACE", caps);
        Assert.Equal(Capabilities.All.Count - 1, caps.Count);
    }

    [Fact]
    public void Compute_Privileged_All() => Assert.Equal(Capabilities.All, Capabilities.Compute(null, ["ALL"], privileged: true));

    [Fact]
    public void Compute_Unknown_ThrowsInvalidArgument()
    {
        var e = Assert.Throws<InvalidArgumentException>(() => Capabilities.Compute(["NOT_A_CAP"], null, privileged: false));
        Assert.Equal("unknown capability: \"CAP_NOT_A_CAP\"", e.Message);
    }
}
