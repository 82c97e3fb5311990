namespace Berth.Compose.Engine;

public sealed partial class ComposeEngine
{
    /// <summary>
    /// At most this many builds or pulls run at once; 0 or less means no bound. Docker Compose v2 reads the same
    /// <c>COMPOSE_PARALLEL_LIMIT</c> (unset: unbounded, its <c>maxConcurrency</c> of -1).
    /// </summary>
    public int ParallelLimit { get; init; } =
        int.TryParse(Environment.GetEnvironmentVariable("COMPOSE_PARALLEL_LIMIT"), out var limit) ? limit : 0;

    /// <summary>
    /// Runs <paramref name="action"/> for every item concurrently, bounded by <see cref="ParallelLimit"/>, as compose v2's
    /// errgroup does: the first failure cancels the token the others got, the running ones end, and it is rethrown.
    /// </summary>
    private async Task ForAllAsync<T>(IEnumerable<T> items, Func<T, CancellationToken, Task> action, CancellationToken ct)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var gate = ParallelLimit > 0 ? new SemaphoreSlim(ParallelLimit) : null;
        var tasks = items.Select(RunAsync).ToList();
        try
        {
            await Task.WhenAll(tasks);
        }
        catch
        {
            var faults = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).ToList();
            var first = faults.FirstOrDefault(e => e is not OperationCanceledException) ?? faults.FirstOrDefault();
            if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
            throw;
        }

        async Task RunAsync(T item)
        {
            await Task.Yield();
            if (gate is not null) await gate.WaitAsync(failed.Token);
            try
            {
                failed.Token.ThrowIfCancellationRequested();
                await action(item, failed.Token);
            }
            catch
            {
                await failed.CancelAsync();
                throw;
            }
            finally
            {
                gate?.Release();
            }
        }
    }
}
