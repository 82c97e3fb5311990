using Berth.Compose;

namespace Berth.Tests.Compose;

/// <summary>Every Compose file shown in the seed documents loads (TestData/seeds, reconstructed from /work/shared/seeds).</summary>
public sealed class SeedFileTests : IDisposable
{
    private readonly ComposeTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Seed(string name) => File.ReadAllText(Path.Join(AppContext.BaseDirectory, "Compose", "TestData", "seeds", name));

    [Theory]
    [InlineData("seed000-guide.yaml")]
    [InlineData("seed001-myapp.yaml")]
    [InlineData("seed003-minimal.yaml")]
    [InlineData("seed004-stack.yaml")]
    public void Seed_Loads_AndConfigRoundTrips(string file)
    {
        var p = _dir.Text(Seed(file));
        Assert.NotEmpty(p.Services);
        var yaml = ConfigWriter.ToYaml(p);
        var again = ComposeLoader.LoadFromText(yaml, _dir.Options() with { ProjectDirectory = _dir.Root });
        Assert.Equal(ConfigWriter.ToYaml(again), yaml);
        foreach (var name in p.Services.Keys)
            Assert.Equal(ServiceHashing.ConfigHash(p.Services[name]), ServiceHashing.ConfigHash(again.Services[name]));
    }

    [Fact]
    public void Seed001_MyApp_Normalized()
    {
        var p = _dir.Text(Seed("seed001-myapp.yaml"));
        Assert.Equal("myapp", p.Name);
        Assert.Equal(["api", "cache", "db", "frontend"], p.Services.Keys);
        Assert.Equal("production", p.Services["frontend"].Build!.Target);
        Assert.Equal(Path.Join(_dir.Root, "frontend"), p.Services["frontend"].Build!.Context);
        Assert.Equal("service_healthy", p.Services["api"].DependsOn["db"].Condition);
        Assert.Equal(["redis-server", "--appendonly", "yes"], p.Services["cache"].Command);
        Assert.True(p.Networks["backend-net"].Internal);
        Assert.Equal("myapp_backend-net", p.Networks["backend-net"].Name);
        Assert.Equal("myapp_postgres_data", p.Volumes["postgres_data"].Name);
        Assert.Equal(Path.Join(_dir.Root, "init.sql"), p.Services["db"].Volumes[1].Source);
        Assert.False(p.Networks.ContainsKey("default"));
    }

    [Fact]
    public async Task Seed004_WithOverride_AddsHealthcheckAndCondition()
    {
        _dir.Write("compose.yaml", Seed("seed004-stack.yaml"));
        _dir.Write("compose.override.yaml", Seed("seed004-healthy.override.yaml"));
        var p = await _dir.LoadAsync();
        Assert.Equal("service_healthy", p.Services["api"].DependsOn["db"].Condition);
        Assert.Equal("service_started", p.Services["api"].DependsOn["cache"].Condition);
        Assert.Equal(10, p.Services["db"].Healthcheck!.Retries);
        Assert.Equal(3, p.Services["db"].Environment.Count);
        Assert.Equal(Path.Join(_dir.Root, "app"), p.Services["api"].Volumes[0].Source);
    }
}
