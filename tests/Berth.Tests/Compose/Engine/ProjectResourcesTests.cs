using Berth.Compose.Engine;
using Berth.Compose.Model;

namespace Berth.Tests.Compose.Engine;

public sealed class ProjectResourcesTests
{
    private static readonly ComposeProject Demo = new() { Name = "demo", WorkingDir = "/src/demo" };

    [Fact]
    public void NetworkRequest_IsLabelledAndKeepsInternal()
    {
        var r = ComposeEngine.NetworkRequest(Demo, "backend-net", new NetworkConfig { Name = "demo_backend-net", Internal = true, Driver = "bridge" });
        Assert.Equal("demo_backend-net", r.Name);
        Assert.True(r.Internal);
        Assert.Equal("backend-net", r.Labels![ComposeLabels.Network]);
        Assert.Equal("demo", r.Labels[ComposeLabels.Project]);
        Assert.True(r.Labels.ContainsKey(ComposeLabels.Version));
    }

    [Fact]
    public void VolumeRequest_IsLabelled()
    {
        var r = ComposeEngine.VolumeRequest(Demo, "pgdata", new VolumeConfig { Name = "demo_pgdata" });
        Assert.Equal("demo_pgdata", r.Name);
        Assert.Equal("pgdata", r.Labels![ComposeLabels.Volume]);
        Assert.Equal("demo", r.Labels[ComposeLabels.Project]);
    }

    [Fact]
    public void BuildQuery_CarriesBuildKeys()
    {
        var api = new ServiceConfig
        {
            Name = "api",
            Build = new BuildConfig
            {
                Context = "/src/demo",
                Target = "production",
                Args = new SortedDictionary<string, string?>(StringComparer.Ordinal) { ["V"] = "1" },
                Labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["l"] = "x" },
                CacheFrom = ["demo-api:cache"],
            },
        };
        var q = ComposeEngine.BuildQuery(api, "demo-api", "Dockerfile").ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("demo-api", q["t"]);
        Assert.Equal("production", q["target"]);
        Assert.Equal("{\"V\":\"1\"}", q["buildargs"]);
        Assert.Equal("{\"l\":\"x\"}", q["labels"]);
        Assert.Equal("[\"demo-api:cache\"]", q["cachefrom"]);
    }

    [Theory]
    [InlineData("busybox", "busybox", "latest")]
    [InlineData("busybox:1.36", "busybox", "1.36")]
    [InlineData("localhost:5000/app", "localhost:5000/app", "latest")]
    [InlineData("localhost:5000/app:v2", "localhost:5000/app", "v2")]
    public void SplitReference_HandlesRegistryPorts(string image, string repo, string tag) =>
        Assert.Equal((repo, tag), ComposeEngine.SplitReference(image));

    [Fact]
    public void LabelFilter_IsDockerFiltersJson() =>
        Assert.Equal("{\"label\":[\"com.docker.compose.project=demo\"]}", ProjectQueries.LabelFilter("com.docker.compose.project=demo"));
}
