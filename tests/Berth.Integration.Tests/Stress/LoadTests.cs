using System.Diagnostics;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;
using Xunit.Abstractions;

namespace Berth.Integration.Tests.Stress;

/// <summary>
/// 50 containers started at once, then a sustained mix of ps, inspect, logs and exec from 16 clients: every call must
/// succeed and finish within a bound (a deadlock shows up as a call that does not). Latency percentiles per call
/// type go to the test output. BERTH_LONG_TESTS=1 keeps the load on for two minutes instead of ten seconds.
/// </summary>
[Collection(StressCollection.Name)]
public sealed class LoadTests(DaemonFixture daemon, ITestOutputHelper output)
{
    private const int Containers = 50;
    private const int Clients = 16;
    private static readonly TimeSpan CallBound = TimeSpan.FromSeconds(30);

    [RootFact(E2E.Docker)]
    public async Task FiftyContainers_SixteenClients_NoErrorsNoDeadlock()
    {
        using var api = new StressApi(daemon.SocketPath, CallBound);
        var label = "berth.stress.load=" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<string>();
        var startup = new LatencyRecorder();
        try
        {
            var clock = Stopwatch.StartNew();
            var starts = Enumerable.Range(0, Containers).Select(async i =>
            {
                var t = Stopwatch.StartNew();
                var id = await api.RunDetachedAsync("busybox", ["sh", "-c", $"echo ready {i}; exec sleep 100000"],
                    labels: new Dictionary<string, string> { [label.Split('=')[0]] = label.Split('=')[1] });
                startup.Add("run -d", t.Elapsed);
                return id;
            }).ToList();
            foreach (var s in starts)
            {
                try { ids.Add(await s); }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { startup.Fail("run -d", ex.Message); }
            }
            output.WriteLine($"{Containers} concurrent run -d in {clock.Elapsed.TotalSeconds:0.00} s\n{startup.Report()}");
            Assert.True(startup.Errors.Count == 0, "run -d failures:\n" + string.Join('\n', startup.Errors.Take(10)));

            var duration = StressMode.Pick(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(120));
            var recorder = new LatencyRecorder();
            using var stop = new CancellationTokenSource(duration);
            var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(() => ClientAsync(api, ids, c, recorder, stop.Token))).ToArray();
            var all = Task.WhenAll(clients);
            var finished = await Task.WhenAny(all, Task.Delay(duration + CallBound + TimeSpan.FromSeconds(10)));
            Assert.True(finished == all, $"the clients did not finish within {CallBound.TotalSeconds:0} s of the end: a call hangs (deadlock?)\n{daemon.LogTail()}");
            await all;
            output.WriteLine($"{Clients} clients for {duration.TotalSeconds:0} s: {recorder.Count} calls\n{recorder.Report()}");
            Assert.True(recorder.Errors.Count == 0, $"{recorder.Errors.Count} failed calls:\n{string.Join('\n', recorder.Errors.Take(20))}");
            foreach (var kind in new[] { "ps", "inspect", "logs", "exec" })
                Assert.True(recorder.Max(kind) > 0, $"no {kind} call completed");

            using var list = await api.ListAsync(all: false);
            var running = list.RootElement.EnumerateArray().Select(c => c.GetProperty("Id").GetString()).ToHashSet();
            Assert.True(ids.All(running.Contains), "every container still runs after the load");
        }
        finally
        {
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(ids.Select(async id =>
            {
                try { await api.RemoveAsync(id, force: true); }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { output.WriteLine($"rm -f {id}: {ex.Message}"); }
            }));
            output.WriteLine($"removed {ids.Count} containers in {clock.Elapsed.TotalSeconds:0.00} s");
        }
        using var after = await api.ListAsync(all: true);
        Assert.DoesNotContain(after.RootElement.EnumerateArray(), c => ids.Contains(c.GetProperty("Id").GetString()!));
    }

    private static async Task ClientAsync(StressApi api, List<string> ids, int client, LatencyRecorder recorder, CancellationToken stop)
    {
        var rng = new Random(client);
        while (!stop.IsCancellationRequested)
        {
            var id = ids[rng.Next(ids.Count)];
            var pick = rng.Next(10);
            var kind = pick switch { < 3 => "ps", < 6 => "inspect", < 8 => "logs", _ => "exec" };
            var t = Stopwatch.StartNew();
            try
            {
                switch (kind)
                {
                    case "ps":
                        (await api.ListAsync(all: pick == 0)).Dispose();
                        break;
                    case "inspect":
                        (await api.InspectAsync(id)).Dispose();
                        break;
                    case "logs":
                        var logs = await api.LogsAsync(id);
                        if (!StressApi.Demultiplex(logs).StartsWith("ready", StringComparison.Ordinal)) throw new InvalidOperationException("logs lack the ready line");
                        break;
                    default:
                        var marker = Guid.NewGuid().ToString("N")[..8];
                        var text = await api.ExecAsync(id, ["echo", marker]);
                        if (text != marker + "\n") throw new InvalidOperationException($"exec printed '{text}'");
                        break;
                }
                recorder.Add(kind, t.Elapsed);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException or IOException or System.Net.Sockets.SocketException or System.Text.Json.JsonException)
            {
                recorder.Fail(kind, $"{id[..12]}: {ex.Message}");
            }
        }
    }
}
