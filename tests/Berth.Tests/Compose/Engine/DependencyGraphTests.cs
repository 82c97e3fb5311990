using Berth.Compose.Engine;

namespace Berth.Tests.Compose.Engine;

public sealed class DependencyGraphTests
{
    private static DependencyGraph Graph(params (string Name, string[] Deps)[] services) =>
        new(services.Select(s => new KeyValuePair<string, IEnumerable<string>>(s.Name, s.Deps)));

    [Fact]
    public void StartOrder_PutsDependenciesFirst()
    {
        var g = Graph(("api", ["db", "cache"]), ("frontend", ["api"]), ("db", []), ("cache", []));
        var order = g.StartOrder().ToList();
        Assert.Equal(["cache", "db", "api", "frontend"], order);
        Assert.Equal(["frontend", "api", "db", "cache"], g.StopOrder());
    }

    [Fact]
    public void StartOrder_Cycle_ThrowsNamingIt()
    {
        var g = Graph(("a", ["b"]), ("b", ["c"]), ("c", ["a"]));
        var ex = Assert.Throws<InvalidOperationException>(() => g.StartOrder());
        Assert.Equal("dependency cycle detected: a -> b -> c -> a", ex.Message);
    }

    [Fact]
    public void StartOrder_SkipsUnknownDependencies()
    {
        var g = Graph(("api", ["optional"]));
        Assert.Equal(["api"], g.StartOrder());
    }

    [Fact]
    public void WithDependencies_IsTransitive()
    {
        var g = Graph(("web", ["api"]), ("api", ["db"]), ("db", []), ("other", []));
        Assert.Equal(new HashSet<string> { "web", "api", "db" }, g.WithDependencies(["web"]).ToHashSet());
    }
}
