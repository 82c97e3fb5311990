namespace Berth.Compose.Engine;

/// <summary>
/// Services and what each depends on (<c>depends_on</c>, <c>network_mode: service:x</c>, <c>volumes_from</c>). Start
/// order is a topological order (dependencies first, ties by name so runs are repeatable); stop order is its reverse.
/// <see cref="InDependencyOrderAsync"/> walks the graph as docker/compose's <c>InDependencyOrder</c> does: each service as soon
/// as its own dependencies are done, independent services concurrently.
/// </summary>
public sealed class DependencyGraph
{
    private readonly SortedDictionary<string, SortedSet<string>> _deps = new(StringComparer.Ordinal);

    public DependencyGraph(IEnumerable<KeyValuePair<string, IEnumerable<string>>> services)
    {
        foreach (var (name, deps) in services)
        {
            _deps[name] = new SortedSet<string>(deps, StringComparer.Ordinal);
        }
    }

    public IReadOnlyCollection<string> Services => _deps.Keys;

    public IReadOnlyCollection<string> DependenciesOf(string service) => _deps.TryGetValue(service, out var d) ? d : [];

    /// <summary>Services that depend on <paramref name="service"/> directly.</summary>
    public IEnumerable<string> DependentsOf(string service) => _deps.Where(p => p.Value.Contains(service)).Select(p => p.Key);

    /// <summary>
    /// Dependencies before dependents. A dependency that is not a service here (disabled by a profile, or
    /// <c>required: false</c> and absent) is skipped. Throws on a cycle, naming it as compose-go does.
    /// </summary>
    public IReadOnlyList<string> StartOrder()
    {
        var order = new List<string>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 visiting, 2 done
        var path = new List<string>();
        foreach (var name in _deps.Keys) Visit(name);
        return order;

        void Visit(string name)
        {
            if (state.TryGetValue(name, out var s))
            {
                if (s == 2) return;
                var start = path.IndexOf(name);
                throw new InvalidOperationException($"dependency cycle detected: {string.Join(" -> ", path.Skip(start).Append(name))}");
            }
            state[name] = 1;
            path.Add(name);
            foreach (var d in _deps[name])
            {
                if (_deps.ContainsKey(d)) Visit(d);
            }
            path.RemoveAt(path.Count - 1);
            state[name] = 2;
            order.Add(name);
        }
    }

    /// <summary>Dependents before dependencies (how <c>down</c> and <c>stop</c> go).</summary>
    public IReadOnlyList<string> StopOrder() => [.. StartOrder().Reverse()];

    /// <summary>The given services plus everything they depend on, transitively (what <c>up api</c> starts).</summary>
    public IReadOnlySet<string> WithDependencies(IEnumerable<string> services)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(services);
        while (stack.Count > 0)
        {
            var s = stack.Pop();
            if (!_deps.ContainsKey(s) || !result.Add(s)) continue;
            foreach (var d in _deps[s]) stack.Push(d);
        }
        return result;
    }

    /// <summary>
    /// Runs <paramref name="visit"/> once for each of <paramref name="selected"/>, each only after the visits of its selected
    /// dependencies have finished, and otherwise concurrently (a service does not wait for unrelated ones). The first failure
    /// cancels the token the other visits got, lets the running ones end, and is rethrown; services not yet begun are skipped.
    /// </summary>
    public Task InDependencyOrderAsync(IEnumerable<string> selected, Func<string, CancellationToken, Task> visit, CancellationToken ct) =>
        WalkAsync(StartOrder(), name => _deps[name], selected, visit, ct);

    /// <summary>
    /// The reverse walk (docker/compose's <c>InReverseDependencyOrder</c>, how <c>stop</c> and <c>down</c> go): each of
    /// <paramref name="selected"/> only after the visits of its selected dependents have finished, unrelated services
    /// concurrently. Same failure rules as <see cref="InDependencyOrderAsync"/>.
    /// </summary>
    public Task InReverseDependencyOrderAsync(IEnumerable<string> selected, Func<string, CancellationToken, Task> visit, CancellationToken ct) =>
        WalkAsync(StopOrder(), DependentsOf, selected, visit, ct);

    private static async Task WalkAsync(IReadOnlyList<string> order, Func<string, IEnumerable<string>> before, IEnumerable<string> selected,
        Func<string, CancellationToken, Task> visit, CancellationToken ct)
    {
        var set = selected.ToHashSet(StringComparer.Ordinal);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var tasks = new Dictionary<string, Task>(StringComparer.Ordinal);
        // The order guarantees that what a service waits for already has its task when its own is made.
        foreach (var name in order.Where(set.Contains))
        {
            var deps = before(name).Where(tasks.ContainsKey).Select(d => tasks[d]).ToArray();
            tasks[name] = RunAfterAsync(name, deps);
        }
        try
        {
            await Task.WhenAll(tasks.Values);
        }
        catch
        {
            // Task.WhenAll rethrows the first fault in task order; report the first real failure, not a cancellation it caused.
            var faults = tasks.Values.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).ToList();
            var first = faults.FirstOrDefault(e => e is not OperationCanceledException) ?? faults.FirstOrDefault();
            if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
            throw;
        }

        async Task RunAfterAsync(string name, Task[] deps)
        {
            await Task.WhenAll(deps);
            failed.Token.ThrowIfCancellationRequested();
            try
            {
                await visit(name, failed.Token);
            }
            catch
            {
                await failed.CancelAsync();
                throw;
            }
        }
    }
}
