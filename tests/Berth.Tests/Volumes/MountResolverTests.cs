using Berth.Api.Models.Containers;
using Berth.Core.Errors;
using Berth.Services.Containers;

namespace Berth.Tests.Volumes;

public sealed class MountResolverTests
{
    [Theory]
    [InlineData("/data", "volume", null, "/data", true, "")]
    [InlineData("pgdata:/var/lib/pg", "volume", "pgdata", "/var/lib/pg", true, "z")]
    [InlineData("pgdata:/var/lib/pg:ro", "volume", "pgdata", "/var/lib/pg", false, "ro")]
    [InlineData("/tmp:/host/tmp/", "bind", null, "/host/tmp", true, "")]
    [InlineData("/tmp:/h:ro,rshared", "bind", null, "/h", false, "ro,rshared")]
    public void ParseBind_Forms(string spec, string type, string? name, string dest, bool rw, string mode)
    {
        var m = MountResolver.ParseBind(spec);
        Assert.Equal(type, m.Type);
        Assert.Equal(name, m.Name);
        Assert.Equal(dest, m.Destination);
        Assert.Equal(rw, m.RW);
        Assert.Equal(mode, m.Mode);
    }

    [Fact]
    public void ParseBind_Propagation_DefaultsToRprivate()
    {
        Assert.Equal("rprivate", MountResolver.ParseBind("/tmp:/h").Propagation);
        Assert.Equal("rshared", MountResolver.ParseBind("/tmp:/h:rshared").Propagation);
    }

    [Fact]
    public void ParseBind_Nocopy_TurnsCopyOff()
    {
        Assert.True(MountResolver.ParseBind("v1:/d").CopyData);
        Assert.False(MountResolver.ParseBind("v1:/d:nocopy").CopyData);
    }

    [Theory]
    [InlineData("v1:relative")]
    [InlineData("v1:/d:bogus")]
    [InlineData("v1:/d:ro,rw")]
    [InlineData("v1:/")]
    [InlineData("a:b:c:d")]
    [InlineData("bad name!:/d")]
    [InlineData("v1:/d:rshared")]
    public void ParseBind_Invalid_Throws(string spec) => Assert.Throws<InvalidArgumentException>(() => MountResolver.ParseBind(spec));

    [Fact]
    public void ParseMount_VolumeOptions()
    {
        var m = MountResolver.ParseMount(new MountSpec { Type = "volume", Source = "v1", Target = "/d", ReadOnly = true, VolumeOptions = new VolumeOptions { NoCopy = true } });
        Assert.Equal(("volume", "v1", "/d", false, false), (m.Type, m.Name, m.Destination, m.RW, m.CopyData));
        var anon = MountResolver.ParseMount(new MountSpec { Type = "volume", Target = "/d" });
        Assert.True(anon.Anonymous);
        Assert.Null(anon.Name);
    }

    [Fact]
    public void ParseMount_Tmpfs_SizeAndMode()
    {
        var m = MountResolver.ParseMount(new MountSpec { Type = "tmpfs", Target = "/t", TmpfsOptions = new TmpfsOptions { SizeBytes = 1024, Mode = 0x1C0 } });
        var spec = Assert.Single(MountResolver.ToSpecMounts([m], null, new Dictionary<string, string>()));
        Assert.Equal("tmpfs", spec.Type);
        Assert.Contains("size=1024", spec.Options);
        Assert.Contains("mode=700", spec.Options);
    }

    [Fact]
    public void ParseMount_BindMissingSource_Throws()
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => MountResolver.ParseMount(new MountSpec { Type = "bind", Source = "/nonexistent-" + Guid.NewGuid(), Target = "/b" }));
        Assert.Contains("bind source path does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bind", "v", "mount path must be absolute")]
    [InlineData("tmpfs", "src", "Source must not be specified")]
    [InlineData("npipe", null, "mount type unknown")]
    public void ParseMount_Invalid_Throws(string type, string? source, string message)
    {
        var spec = new MountSpec { Type = type, Source = source, Target = "/x" };
        var ex = Assert.Throws<InvalidArgumentException>(() => MountResolver.ParseMount(spec));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ImageVolumesBecomeAnonymous_UnlessCoveredByBindOrTmpfs()
    {
        var host = new HostConfig { Binds = ["/tmp:/covered"], Tmpfs = new() { ["/tmpfs"] = "" } };
        var config = new ContainerConfig { Volumes = new() { ["/covered"] = new(), ["/tmpfs"] = new(), ["/data"] = new() } };
        var mounts = MountResolver.Resolve(host, config, null, _ => throw new InvalidOperationException());
        Assert.Equal(2, mounts.Count);
        var anon = Assert.Single(mounts, m => m.Destination == "/data");
        Assert.True(anon.Anonymous);
        Assert.True(anon.CopyData);
    }

    [Fact]
    public void Resolve_DuplicateDestination_Throws()
    {
        var host = new HostConfig { Binds = ["/tmp:/d"], Mounts = [new MountSpec { Type = "volume", Source = "v1", Target = "/d" }] };
        var ex = Assert.Throws<InvalidArgumentException>(() => MountResolver.Resolve(host, new ContainerConfig(), null, _ => throw new InvalidOperationException()));
        Assert.Equal("Duplicate mount point: /d", ex.Message);
    }

    [Fact]
    public void ToSpecMounts_ParentsBeforeChildren_AndReadOnly()
    {
        var mounts = new List<ContainerMount>
        {
            new() { Type = "bind", Source = "/a", Destination = "/x/y", RW = false, Propagation = "rprivate" },
            new() { Type = "volume", Name = "v", Source = "/vol", Destination = "/x", RW = true },
        };
        var specs = MountResolver.ToSpecMounts(mounts, null, new Dictionary<string, string> { ["v"] = "/mounted" });
        Assert.Equal(["/x", "/x/y"], specs.Select(s => s.Destination));
        Assert.Equal("/mounted", specs[0].Source);
        Assert.Contains("ro", specs[1].Options);
    }
}
