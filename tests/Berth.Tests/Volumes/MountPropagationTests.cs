using Berth.Core.Errors;
using Berth.Storage;

namespace Berth.Tests.Volumes;

/// <summary>Which host mount holds a bind's source, and whether it can carry shared or slave propagation (moby ensureShared).</summary>
public sealed class MountPropagationTests
{
    private static readonly string[] MountInfo =
    [
        "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
        "40 27 0:33 / /srv rw,relatime shared:5 - ext4 /dev/vdb rw",
        "41 27 0:34 / /mnt/slave rw,relatime master:7 - ext4 /dev/vdc rw",
        "42 27 0:35 / /with\\040space rw shared:9 master:3 - tmpfs tmpfs rw",
    ];

    [Theory]
    [InlineData("/tmp/x", "/", "")]
    [InlineData("/srv/data/x", "/srv", "shared:5")]
    [InlineData("/srv", "/srv", "shared:5")]
    [InlineData("/srvother", "/", "")]
    [InlineData("/mnt/slave/a", "/mnt/slave", "master:7")]
    [InlineData("/with space/a", "/with space", "shared:9 master:3")]
    public void MountOf_DeepestMountPointHoldingThePath(string path, string mountPoint, string optional)
    {
        var (point, opts) = MountPropagation.MountOf(path, MountInfo);
        Assert.Equal((mountPoint, optional), (point, string.Join(' ', opts)));
    }

    [Fact]
    public void EnsureSupported_PrivateMount_RefusedWithDockersWords()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, MountInfo);
            var shared = Assert.Throws<EngineException>(() => MountPropagation.EnsureSupported("/tmp/x", "rshared", file));
            Assert.Equal("path /tmp/x is mounted on / but it is not a shared mount", shared.Message);
            var slave = Assert.Throws<EngineException>(() => MountPropagation.EnsureSupported("/tmp/x", "rslave", file));
            Assert.Equal("path /tmp/x is mounted on / but it is not a shared or slave mount", slave.Message);
            Assert.Throws<EngineException>(() => MountPropagation.EnsureSupported("/mnt/slave/a", "shared", file));
            MountPropagation.EnsureSupported("/mnt/slave/a", "rslave", file);
            MountPropagation.EnsureSupported("/srv/data", "rshared", file);
            MountPropagation.EnsureSupported("/tmp/x", "rprivate", file);
        }
        finally { File.Delete(file); }
    }
}
