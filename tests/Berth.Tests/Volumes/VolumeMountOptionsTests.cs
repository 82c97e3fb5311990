using System.Net;
using System.Net.Sockets;
using Berth.Core.Errors;
using Berth.Storage.Volumes;

namespace Berth.Tests.Volumes;

/// <summary>The local driver's mount options as Docker checks them and turns them into a mount(2) call (moby volume/local, moby/sys/mount).</summary>
public sealed class VolumeMountOptionsTests
{
    private static VolumeMountOptions? Parse(params (string Key, string Value)[] options) =>
        VolumeMountOptions.Parse(options.ToDictionary(o => o.Key, o => o.Value));

    [Fact]
    public void Tmpfs_FlagWordsBecomeFlags_RestIsData()
    {
        var tmpfs = Parse(("type", "tmpfs"), ("device", "tmpfs"), ("o", "size=1m,uid=1000,noexec,nosuid"))!;
        Assert.Equal(("tmpfs", "tmpfs", "size=1m,uid=1000"), (tmpfs.Type, tmpfs.Device, tmpfs.Data));
        Assert.Equal(0xAul, tmpfs.Flags);
    }

    [Fact]
    public void Bind_TypeNoneIsPassedAsGiven_WithBindFlag()
    {
        var bind = Parse(("type", "none"), ("device", "/srv"), ("o", "bind,ro"))!;
        Assert.Equal(("none", "/srv", null), (bind.Type, bind.Device, bind.Data));
        Assert.Equal(0x1001ul, bind.Flags);
        Assert.Equal(0x5000ul, Parse(("type", "none"), ("device", "/srv"), ("o", "rbind"))!.Flags);
    }

    [Theory]
    [InlineData("ro,rw", 0ul)]
    [InlineData("rw,ro", 1ul)]
    [InlineData("noatime,atime,relatime", 0x200000ul)]
    [InlineData("dirsync,sync", 0x90ul)]
    [InlineData("defaults", 0ul)]
    public void FlagWords_LaterWordsWin(string o, ulong flags) => Assert.Equal(flags, VolumeMountOptions.SplitOptions(o).Flags);

    [Fact]
    public void NoTypeNoDevice_IsAPlainDirectory() => Assert.Null(Parse());

    [Fact]
    public void TypeNoneWithoutBind_IsAcceptedAtCreate_AsDocker()
    {
        // Docker checks only which keys are present; mount(2) refuses it later ("no such device").
        var m = Parse(("type", "none"), ("device", "/srv"))!;
        Assert.Equal((0ul, null), (m.Flags, m.Data));
    }

    [Theory]
    [InlineData("colour", "red", "invalid option: \"colour\"")]
    [InlineData("device", "/srv", "missing required option: \"type\"")]
    [InlineData("type", "tmpfs", "missing required option: \"device\"")]
    [InlineData("o", "size=1m", "missing required option: \"device\"")]
    [InlineData("size", "10m", "quota size requested but no quota support")]
    [InlineData("size", "ten", "invalid size: 'ten'")]
    public void BadOptions_DockersWords(string key, string value, string message) =>
        Assert.Equal(message, Assert.Throws<InvalidArgumentException>(() => Parse((key, value))).Message);

    [Fact]
    public void OWithDeviceButNoType_NeedsType() =>
        Assert.Equal("missing required option: \"type\"", Assert.Throws<InvalidArgumentException>(() => Parse(("device", "/x"), ("o", "bind"))).Message);

    [Fact]
    public void ZeroSize_IsNoQuota() => Assert.Null(Parse(("size", "0")));

    [Fact]
    public void Nfs_HostNameInAddr_IsResolvedForTheKernel()
    {
        var asked = new List<string>();
        var nfs = Parse(("type", "nfs"), ("device", ":/exports/a"), ("o", "addr=files.example,rw,nfsvers=4"))!;
        var call = nfs.WithResolvedAddress(h =>
        {
            asked.Add(h);
            return IPAddress.Parse("192.0.2.7");
        });
        Assert.Equal(["files.example"], asked);
        Assert.Equal(("nfs", ":/exports/a", "addr=192.0.2.7,nfsvers=4", 0ul), (call.Type, call.Device, call.Data, call.Flags));
    }

    [Theory]
    [InlineData("nfs", "addr=127.0.0.1,nfsvers=4")]
    [InlineData("tmpfs", "addr=localhost")]
    public void Addr_Ipv4LiteralOrOtherTypes_AreLeftAlone(string type, string o)
    {
        var m = Parse(("type", type), ("device", ":/x"), ("o", o))!;
        Assert.Same(m, m.WithResolvedAddress(_ => throw new InvalidOperationException("must not resolve")));
    }

    [Fact]
    public void Cifs_Ipv6Addr_GoesThroughTheResolverToo()
    {
        var m = Parse(("type", "cifs"), ("device", "//srv/share"), ("o", "addr=::1,username=u"))!;
        Assert.Equal("addr=::1,username=u", m.WithResolvedAddress(VolumeMountOptions.ResolveHost).Data);
    }

    [Fact]
    public void Localhost_ResolvesThroughTheSystemResolver_Ipv4First()
    {
        var m = Parse(("type", "nfs"), ("device", ":/x"), ("o", "addr=localhost"))!;
        Assert.Equal("addr=127.0.0.1", m.WithResolvedAddress(VolumeMountOptions.ResolveHost).Data);
    }

    [Fact]
    public void UnresolvableAddr_IsDockersError()
    {
        var m = Parse(("type", "nfs"), ("device", ":/x"), ("o", "addr=nowhere.invalid"))!;
        var ex = Assert.Throws<EngineException>(() => m.WithResolvedAddress(_ => throw new SocketException((int)SocketError.HostNotFound)));
        Assert.StartsWith("error resolving passed in network volume address: lookup nowhere.invalid: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DescribeFailure_IsMobyMountErrorText()
    {
        var bind = Parse(("type", "none"), ("device", "/missing"), ("o", "bind"))!;
        Assert.Equal("mount /missing:/v/_data, flags: 0x1000: no such file or directory", bind.DescribeFailure("/v/_data", 2));
        var nfs = Parse(("type", "nfs"), ("device", ":/x"), ("o", "addr=127.0.0.1,rw"))!;
        Assert.Equal("mount :/x:/v/_data, data: addr=127.0.0.1: no such device", nfs.DescribeFailure("/v/_data", 19));
    }
}
