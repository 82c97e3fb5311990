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

    [Fact]
    public async Task InDependencyOrder_VisitsADependentOnlyAfterItsDependenciesFinished()
    {
        var g = Graph(("api", ["db", "cache"]), ("frontend", ["api"]), ("db", []), ("cache", []));
        var finished = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        var violations = new System.Collections.Concurrent.ConcurrentBag<string>();
        await g.InDependencyOrderAsync(g.Services, async (name, _) =>
        {
            foreach (var d in g.DependenciesOf(name))
            {
                if (!finished.ContainsKey(d)) violations.Add($"{name} before {d}");
            }
            await Task.Yield();
            finished[name] = true;
        }, CancellationToken.None);
        Assert.Empty(violations);
        Assert.Equal(4, finished.Count);
    }

    /// <summary>
    /// "db" cannot finish until "cache" has begun: a serial walk (db comes first by name) would never get there, so the
    /// walk finishing at all shows independent services run concurrently. The wait is bounded only so a regression fails.
    /// </summary>
    [Fact]
    public async Task InDependencyOrder_RunsIndependentServicesConcurrently()
    {
        var g = Graph(("api", ["cache", "db"]), ("cache", []), ("db", []));
        var cacheBegun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var visited = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var walk = g.InDependencyOrderAsync(g.Services, async (name, ct) =>
        {
            if (name == "cache") cacheBegun.TrySetResult();
            if (name == "db") await cacheBegun.Task.WaitAsync(ct);
            visited.Enqueue(name);
        }, CancellationToken.None);
        await walk.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("api", visited.Last());
    }

    /// <summary>
    /// The reverse walk (stop, down): a service only after every service depending on it, and independent dependents
    /// together: "worker" (first in a serial stop order) cannot finish until "web" has begun, which a serial walk would never reach.
    /// </summary>
    [Fact]
    public async Task InReverseDependencyOrder_StopsDependentsFirst_AndIndependentOnesConcurrently()
    {
        var g = Graph(("web", ["db"]), ("worker", ["db"]), ("db", []), ("cache", []));
        var webBegun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        var violations = new System.Collections.Concurrent.ConcurrentBag<string>();
        var walk = g.InReverseDependencyOrderAsync(g.Services, async (name, ct) =>
        {
            foreach (var dependent in g.DependentsOf(name))
            {
                if (!finished.ContainsKey(dependent)) violations.Add($"{name} before its dependent {dependent}");
            }
            if (name == "web") webBegun.TrySetResult();
            if (name == "worker") await webBegun.Task.WaitAsync(ct);
            await Task.Yield();
            finished[name] = true;
        }, CancellationToken.None);
        await walk.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(violations);
        Assert.Equal(4, finished.Count);
    }

    [Fact]
    public async Task InReverseDependencyOrder_SelectedSubset_WaitsOnlyForSelectedDependents()
    {
        var g = Graph(("web", ["db"]), ("db", []));
        var visited = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await g.InReverseDependencyOrderAsync(["db"], (name, _) =>
        {
            visited.Enqueue(name);
            return Task.CompletedTask;
        }, CancellationToken.None);
        Assert.Equal(["db"], visited);
    }

    [Fact]
    public async Task InDependencyOrder_FailureStopsDependents_AndIsRethrown()
    {
        var g = Graph(("api", ["db"]), ("db", []), ("other", []));
        var visited = new System.Collections.Concurrent.ConcurrentBag<string>();
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => g.InDependencyOrderAsync(g.Services, async (name, ct) =>
        {
            visited.Add(name);
            await Task.Yield();
            if (name == "db") throw new InvalidOperationException("db failed");
        }, CancellationToken.None));
        Assert.Equal("db failed", ex.Message);
        Assert.DoesNotContain("api", visited);
    }

    [Fact]
    public async Task InDependencyOrder_SelectedSubset_IgnoresOtherServices()
    {
        var g = Graph(("api", ["db"]), ("db", []), ("web", ["api"]));
        var visited = new System.Collections.Concurrent.ConcurrentBag<string>();
        await g.InDependencyOrderAsync(["api"], (name, _) =>
        {
            visited.Add(name);
            return Task.CompletedTask;
        }, CancellationToken.None);
        Assert.Equal(["api"], visited);
    }
}
