using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Volumes;

/// <summary><c>--mount</c> options through the real docker CLI: tmpfs-mode and tmpfs-size, volume-subpath, bind-propagation.</summary>
[Collection(DaemonCollection.Name)]
public sealed class MountFlagTests(DaemonFixture daemon)
{
    private Task<CommandResult> Docker(params string[] args) => daemon.RunDockerAsync(args, timeout: TimeSpan.FromSeconds(60));

    [RootFact(E2E.Docker)]
    public async Task TmpfsModeAndSize_AreTheMountsOptions()
    {
        var r = (await Docker("run", "--rm", "--mount", "type=tmpfs,dst=/t,tmpfs-mode=1770,tmpfs-size=1m", "busybox", "sh", "-c",
            "stat -c %a /t; grep ' /t ' /proc/mounts")).Ok("run");
        Assert.Equal("1770\ntmpfs /t tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k,mode=1770 0 0\n", r.Stdout);
    }

    [RootFact(E2E.Docker)]
    public async Task VolumeSubpath_MountsOnlyThatDirectory_MissingOneIsRefused()
    {
        var vol = E2E.UniqueName("sp");
        try
        {
            (await Docker("run", "--rm", "-v", vol + ":/x", "busybox", "sh", "-c", "mkdir -p /x/sub && echo insub > /x/sub/f && echo top > /x/g")).Ok("seed");
            var ls = (await Docker("run", "--rm", "--mount", $"type=volume,src={vol},dst=/d,volume-subpath=sub", "busybox", "sh", "-c", "ls /d; cat /d/f")).Ok("subpath");
            Assert.Equal("f\ninsub\n", ls.Stdout);
            var missing = await Docker("run", "--rm", "--mount", $"type=volume,src={vol},dst=/d,volume-subpath=nope", "busybox", "true");
            Assert.NotEqual(0, missing.ExitCode);
        }
        finally { await Docker("volume", "rm", "-f", vol); }
    }

    [RootFact(E2E.Docker)]
    public async Task BindPropagation_SharedOrSlave_NeedsASharedHostMount_AsDocker()
    {
        var dir = Directory.CreateTempSubdirectory("berth-it-prop-").FullName;
        try
        {
            var optional = string.Join(' ', global::Berth.Storage.MountPropagation.MountOf(dir, File.ReadAllLines("/proc/self/mountinfo")).Optional);
            var point = global::Berth.Storage.MountPropagation.MountOf(dir, File.ReadAllLines("/proc/self/mountinfo")).MountPoint;
            var shared = await Docker("run", "--rm", "--mount", $"type=bind,src={dir},dst=/b,bind-propagation=rshared", "busybox", "true");
            var slave = await Docker("run", "--rm", "-v", dir + ":/b:ro,rslave", "busybox", "true");
            if (!optional.Contains("shared:", StringComparison.Ordinal))
            {
                Assert.Contains($"Error response from daemon: path {dir} is mounted on {point} but it is not a shared mount", shared.Stderr, StringComparison.Ordinal);
                if (!optional.Contains("master:", StringComparison.Ordinal))
                    Assert.Contains($"Error response from daemon: path {dir} is mounted on {point} but it is not a shared or slave mount", slave.Stderr, StringComparison.Ordinal);
            }
            else
            {
                shared.Ok("rshared on a shared mount");
                slave.Ok("rslave on a shared mount");
            }
            // rprivate (the default) needs nothing of the host mount.
            (await Docker("run", "--rm", "--mount", $"type=bind,src={dir},dst=/b,bind-propagation=rprivate", "busybox", "true")).Ok("rprivate");
        }
        finally { Directory.Delete(dir); }
    }
}
