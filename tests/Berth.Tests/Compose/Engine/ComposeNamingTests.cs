using Berth.Compose.Engine;

namespace Berth.Tests.Compose.Engine;

public sealed class ComposeNamingTests
{
    [Fact]
    public void ContainerName_Default_IsProjectServiceNumber() => Assert.Equal("demo-api-3", ComposeNaming.ContainerName("demo", "api", 3));

    [Fact]
    public void ContainerName_WithContainerName_UsesIt() => Assert.Equal("my-db", ComposeNaming.ContainerName("demo", "db", 1, "my-db"));

    [Fact]
    public void NetworkAndVolumeNames_UseUnderscore()
    {
        Assert.Equal("demo_default", ComposeNaming.NetworkName("demo", "default"));
        Assert.Equal("demo_backend-net", ComposeNaming.NetworkName("demo", "backend-net"));
        Assert.Equal("shared", ComposeNaming.NetworkName("demo", "x", "shared"));
        Assert.Equal("demo_pgdata", ComposeNaming.VolumeName("demo", "pgdata"));
    }

    [Fact]
    public void OneOffName_TruncatesSlugTo12() => Assert.Equal("demo-api-run-0123456789ab", ComposeNaming.OneOffName("demo", "api", "0123456789abcdef"));

    [Theory]
    [InlineData("MyApp", "myapp")]
    [InlineData("my.app 2", "myapp2")]
    [InlineData("_-x_y-z", "x_y-z")]
    public void NormalizeProjectName_FollowsComposeGo(string input, string expected) => Assert.Equal(expected, ComposeNaming.NormalizeProjectName(input));

    [Fact]
    public void DefaultImageName_IsProjectDashService() => Assert.Equal("demo-api", ComposeNaming.DefaultImageName("demo", "api"));
}
