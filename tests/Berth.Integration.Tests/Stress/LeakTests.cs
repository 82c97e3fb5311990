using System.Diagnostics;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;
using Xunit.Abstractions;

namespace Berth.Integration.Tests.Stress;

/// <summary>
/// Many create/start/exec/rm cycles while the daemon's fds, threads and resident memory are sampled: after the cycles
/// and a settle period they must be back at their baseline (a small margin for pools the runtime keeps), and no
/// mount, cgroup, veth, monitor, runtime state or NAT rule of the removed containers may remain.
/// </summary>
[Collection(StressCollection.Name)]
public sealed class LeakTests(DaemonFixture daemon, ITestOutputHelper output)
{
    private const int Workers = 4;
    private const int FdMargin = 8;
    private const int InFlightFdsPerWorker = 16;
    private const int ThreadMargin = 6;
    private const long RssMarginKiB = 48 * 1024;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(20);

    [RootFact(E2E.Docker)]
    public Task CreateStartExecRemove_Cycles_ReturnToBaseline() => RunAsync(strictFds: false);

    /// <summary>
    /// The same with the fd count held to its baseline after the settle period. It caught ExecService leaving every
    /// exec's stdout/stderr pipes to a GC (measured: 36 -> 52 fds, 35 of them pipes, after 100 cycles and 20 s).
    /// </summary>
    [RootFact(E2E.Docker)]
    public Task CreateStartExecRemove_Cycles_FdsReturnToBaseline() => RunAsync(strictFds: true);

    private async Task RunAsync(bool strictFds)
    {
        using var api = new StressApi(daemon.SocketPath, TimeSpan.FromSeconds(30));
        var checker = new InvariantChecker(daemon, api);
        var cycles = StressMode.Pick(100, 3000);
        // A fresh daemon: what earlier tests left for the GC to close must not hide (or fake) a leak here.
        await daemon.RestartAsync();
        var pid = daemon.DaemonPid;

        // Warm up first: the first containers load code paths, fill pools and JIT nothing (AOT) but still allocate caches.
        await RunCyclesAsync(api, checker, 2 * Workers);
        await Task.Delay(1000);
        var baseline = ProcessSample.Take(pid);
        output.WriteLine($"baseline after warm-up: {baseline}");

        var clock = Stopwatch.StartNew();
        var peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                var s = ProcessSample.Take(pid);
                peak = new ProcessSample(Math.Max(peak.Fds, s.Fds), Math.Max(peak.Threads, s.Threads), Math.Max(peak.RssKiB, s.RssKiB));
                try { await Task.Delay(200, sampling.Token); }
                catch (OperationCanceledException) { break; }
            }
        });
        await RunCyclesAsync(api, checker, cycles);
        await sampling.CancelAsync();
        await sampler;
        output.WriteLine($"{cycles} cycles ({Workers} workers) in {clock.Elapsed.TotalSeconds:0.0} s; peak during: {peak}");

        // Settle: wait for fds and threads to come back (idle pool threads retire, sockets close).
        var settleClock = Stopwatch.StartNew();
        var now = ProcessSample.Take(pid);
        while (settleClock.Elapsed < Settle && ((strictFds && now.Fds > baseline.Fds + FdMargin) || now.Threads > baseline.Threads + ThreadMargin))
        {
            await Task.Delay(500);
            now = ProcessSample.Take(pid);
        }
        output.WriteLine($"after {settleClock.Elapsed.TotalSeconds:0.0} s settle: {now} (baseline {baseline})");

        // Each worker has at most one container and one exec in flight: more open fds than that at any moment means
        // something holds fds until a GC finalizes them (which may be never on an idle daemon).
        Assert.True(peak.Fds <= baseline.Fds + Workers * InFlightFdsPerWorker,
            $"fds peaked at {peak.Fds} from a baseline of {baseline.Fds} with {Workers} workers: fds are held after their use");
        if (strictFds)
            Assert.True(now.Fds <= baseline.Fds + FdMargin,
                $"fds {baseline.Fds} -> {now.Fds} after {cycles} cycles: {ProcessSample.DescribeFds(pid)}");
        Assert.True(now.Threads <= baseline.Threads + ThreadMargin, $"threads {baseline.Threads} -> {now.Threads} after {cycles} cycles");
        Assert.True(now.RssKiB <= baseline.RssKiB + RssMarginKiB, $"RSS {baseline.RssKiB} KiB -> {now.RssKiB} KiB after {cycles} cycles");

        var (problems, running) = await checker.CheckAsync(CancellationToken.None);
        Assert.True(problems.Count == 0, "leftovers after the cycles:\n" + string.Join('\n', problems));
        Assert.Empty(running);
    }

    /// <summary><paramref name="count"/> cycles of create, start, exec (checked), rm -f, spread over a few concurrent workers.</summary>
    private static async Task RunCyclesAsync(StressApi api, InvariantChecker checker, int count)
    {
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                var id = await api.RunDetachedAsync("busybox", ["sleep", "100000"]);
                lock (checker) checker.KnownIds.Add(id);
                try
                {
                    var marker = Guid.NewGuid().ToString("N")[..8];
                    Assert.Equal(marker + "\n", await api.ExecAsync(id, ["echo", marker]));
                }
                finally
                {
                    await api.RemoveAsync(id, force: true);
                }
            }
        })));
    }
}
