using Berth.Api.Endpoints;
using Berth.Cli.Commands;
using Berth.Storage.Archive;

namespace Berth.Tests.Volumes;

public sealed class VolumeMiscTests
{
    [Theory]
    [InlineData(0x41ED, 0x800001EDu)]          // dir 0755
    [InlineData(0x81A4, 0x1A4u)]               // file 0644
    [InlineData(0xA1FF, 0x080001FFu)]          // symlink 0777
    [InlineData(0x89ED, 0x008001EDu)]          // setuid 04755
    [InlineData(0x43FF, 0x801001FFu)]          // sticky dir 01777
    [InlineData(0x21B6, 0x042001B6u)]          // char device 0666
    public void GoFileMode_MatchesGo(int stMode, uint expected) => Assert.Equal(expected, ContainerPathStat.GoFileMode((uint)stMode));

    [Fact]
    public void StatHeader_IsStandardBase64JsonWithGoTime()
    {
        var header = ContainerArchiveEndpoints.Encode(new ContainerPathStat("hosts", 174, 420, new DateTimeOffset(2025, 1, 2, 3, 4, 5, 500, TimeSpan.Zero), ""));
        var json = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header));
        Assert.Equal("{\"name\":\"hosts\",\"size\":174,\"mode\":420,\"mtime\":\"2025-01-02T03:04:05.5Z\",\"linkTarget\":\"\"}", json);
    }

    [Theory]
    [InlineData("web:/etc/hosts", "web", "/etc/hosts")]
    [InlineData("/abs:path", null, "/abs:path")]
    [InlineData("./rel:x", null, "./rel:x")]
    [InlineData("plain", null, "plain")]
    public void CpSplit_FollowsDocker(string arg, string? container, string path) => Assert.Equal((container, path), CpCommand.Split(arg));

    [Theory]
    [InlineData("/a/b", "b")]
    [InlineData("/a/b/", "b")]
    [InlineData("/a/b/.", ".")]
    [InlineData("/", "/")]
    public void CpBaseOf(string path, string expected) => Assert.Equal(expected, CpCommand.BaseOf(path));

    [Fact]
    public void ContainerOptions_RelativeBindSourceBecomesAbsolute()
    {
        Assert.Equal(Path.GetFullPath("data") + ":/d", ContainerOptions.AbsoluteBindSource("./data:/d"));
        Assert.Equal("named:/d", ContainerOptions.AbsoluteBindSource("named:/d"));
    }
}
