using System.Diagnostics;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Images;
using Berth.Integration.Tests.Support;
using Xunit.Abstractions;

namespace Berth.Integration.Tests.Stress;

/// <summary>
/// kill -9 of berthd at seeded random moments during pulls, builds, runs, stops and removals, and at the moment a pull
/// or build has unpacked a layer it has not yet recorded; after each restart the <see cref="InvariantChecker"/> must
/// find nothing wrong (nothing left without an owner, on the host or in the data root), and a container running since
/// before the first kill must still run with the same pid. BERTH_STRESS_SEED=&lt;n&gt; replays a run; BERTH_LONG_TESTS=1 makes it long.
/// </summary>
[Collection(StressCollection.Name)]
public sealed class CrashSafetyTests(DaemonFixture daemon, ITestOutputHelper output)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    [RootFact(E2E.Docker)]
    public async Task Kill9_DuringPullBuildRunStopRemove_RestartKeepsEveryInvariant()
    {
        var seed = StressMode.Seed();
        var rng = new Random(seed);
        output.WriteLine($"crash test seed {seed} (replay with BERTH_STRESS_SEED={seed})");
        var clock = Stopwatch.StartNew();
        await using var registry = await RegistryProcess.StartAsync();
        using var api = new StressApi(daemon.SocketPath, CallTimeout);
        var checker = new InvariantChecker(daemon, api);
        var remote = $"{registry.Address}/stress/layers:v1";
        var context = Path.Join(daemon.TempRoot, "crash-ctx-" + Guid.NewGuid().ToString("N")[..8]);
        var built = new List<string>();
        try
        {
            await PushLayeredImageAsync(remote, context);
            var survivor = (await daemon.RunDockerAsync(["run", "-d", "-p", "127.0.0.1::80", "busybox", "sleep", "100000"])).Ok("run the survivor").Stdout.Trim();
            using (var doc = await api.InspectAsync(survivor))
                Assert.True(doc.RootElement.GetProperty("State").GetProperty("Running").GetBoolean(), "the survivor runs");
            var (before, running0) = await checker.CheckAsync(CancellationToken.None);
            Assert.True(before.Count == 0, "invariants before any kill:\n" + string.Join('\n', before));
            var survivorPid = running0[survivor];
            var previous = running0;

            // Each operation once after a random delay, and a pull and a build killed the moment their first new
            // layer is unpacked (so the start-up recovery has unowned layers and blobs to clean); long runs mix them.
            var all = Enum.GetValues<CrashOp>();
            List<(CrashOp Op, bool OnNewLayer)> plan = StressMode.Long
                ? [.. Enumerable.Range(0, 60).Select(_ => all[rng.Next(all.Length)]).Select(op => (op, op is CrashOp.Pull or CrashOp.Build && rng.Next(2) == 0))]
                : [.. all.Select(op => (op, false)).Append((CrashOp.Pull, true)).Append((CrashOp.Build, true)).OrderBy(_ => rng.Next())];
            var orphanedLayers = 0;
            for (var i = 0; i < plan.Count; i++)
            {
                var (op, onNewLayer) = plan[i];
                // Long runs would pile up containers; keep a handful running (the survivor always among them).
                foreach (var id in previous.Keys.Where(k => k != survivor).Skip(6).ToList())
                {
                    (await daemon.RunDockerAsync(["rm", "-f", id], timeout: CallTimeout)).Ok("trim the running containers");
                    previous.Remove(id);
                }
                var target = await PrepareAsync(op, remote, api);
                await checker.NoteContainersAsync(CancellationToken.None);
                var delay = rng.Next(0, MaxDelayMs(op));
                var tag = $"stress-build:{seed}-{i}";
                using var watch = onNewLayer ? new LayerWatch(daemon.DataRoot) : null;
                var running = StartOperation(op, remote, target, context, tag, i);
                if (op == CrashOp.Build) built.Add(tag);
                var when = $"after {delay} ms";
                if (watch is not null)
                {
                    var first = await Task.WhenAny(watch.Appeared, running, Task.Delay(CallTimeout));
                    when = first == watch.Appeared ? $"as layer {watch.Appeared.Result[..12]} appeared" : "when it ended without a new layer";
                }
                else
                {
                    await Task.Delay(delay);
                }
                await daemon.Kill9Async();
                var result = await running;
                if (watch is not null)
                {
                    var orphans = LeftoverCensus.UnownedSnapshots(Path.Join(daemon.DataRoot, "snapshots"), MetadataView.Read(daemon.DataRoot)).Count;
                    orphanedLayers += orphans;
                    when += $", leaving {orphans} unowned layer(s) for the restart to clean";
                }
                await daemon.RestartAsync();
                var (problems, alive) = await checker.CheckAsync(CancellationToken.None);
                if (!alive.TryGetValue(survivor, out var pid) || pid != survivorPid)
                    problems.Add($"the survivor {survivor} (pid {survivorPid}) is not running after the restart (now: {(alive.TryGetValue(survivor, out var p) ? p : 0)})");
                // Every container that ran before, other than the one the operation acted on, runs on with the same pid.
                foreach (var (id, pidBefore) in previous.Where(r => r.Key != target))
                {
                    if (!alive.TryGetValue(id, out var pidNow) || pidNow != pidBefore) problems.Add($"container {id} (pid {pidBefore}) ran before the kill but not after the restart");
                }
                previous = alive;
                var what = $"seed {seed}, kill {i + 1}/{plan.Count}: {op} killed {when} (client: exit {result.ExitCode} {result.Stderr.Trim()})";
                output.WriteLine(what);
                Assert.True(problems.Count == 0, $"{what}\n{string.Join('\n', problems)}\n--- berthd ---\n{daemon.LogTail(30)}");
            }

            Assert.True(orphanedLayers > 0, $"seed {seed}: no kill left an unowned layer, so the start-up recovery of unowned layers went untested");

            // Everything a crash interrupted must still be removable, and leave nothing behind once removed.
            (await daemon.RunDockerAsync(["rm", "-f", .. await AllContainersAsync(api)], timeout: CallTimeout)).Ok("rm -f everything");
            var (after, _) = await checker.CheckAsync(CancellationToken.None);
            Assert.True(after.Count == 0, $"seed {seed}: after removing every container:\n{string.Join('\n', after)}");
            output.WriteLine($"{plan.Count} kills in {clock.Elapsed.TotalSeconds:0.0} s, {checker.KnownIds.Count} containers checked");
        }
        finally
        {
            foreach (var id in await AllContainersAsync(api)) await daemon.RemoveQuietlyAsync(id);
            foreach (var image in built.Append(remote)) await daemon.RunDockerAsync(["rmi", "-f", image]);
            if (Directory.Exists(context)) Directory.Delete(context, recursive: true);
        }
    }

    /// <summary>Four layers of a few hundred KiB of random bytes on busybox, pushed, then removed here so that each pull is real.</summary>
    private async Task PushLayeredImageAsync(string remote, string context)
    {
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Join(context, "Dockerfile"), """
            FROM busybox
            RUN head -c 700000 /dev/urandom > /l1
            RUN head -c 700000 /dev/urandom > /l2
            RUN head -c 700000 /dev/urandom > /l3
            RUN head -c 700000 /dev/urandom > /l4
            """);
        (await daemon.RunDockerAsync(["build", "-q", "-t", remote, context], timeout: CallTimeout)).Ok("build the layered image");
        (await daemon.RunDockerAsync(["push", remote], timeout: CallTimeout)).Ok("push the layered image");
        (await daemon.RunDockerAsync(["rmi", remote])).Ok("rmi the layered image");
        await File.WriteAllTextAsync(Path.Join(context, "Dockerfile"), """
            FROM busybox
            ARG N
            RUN echo "$N" > /n && head -c 300000 /dev/urandom > /r1
            RUN head -c 300000 /dev/urandom > /r2
            """);
    }

    /// <summary>Brings the daemon to where the operation can start; returns the container it acts on, if any.</summary>
    private async Task<string?> PrepareAsync(CrashOp op, string remote, StressApi api)
    {
        switch (op)
        {
            case CrashOp.Pull:
                await daemon.RunDockerAsync(["rmi", "-f", remote]);
                return null;
            case CrashOp.RemoveImage:
                (await daemon.RunDockerAsync(["pull", "-q", remote], timeout: CallTimeout)).Ok("pull before rmi");
                return null;
            case CrashOp.Stop:
            case CrashOp.Remove:
                return (await daemon.RunDockerAsync(["run", "-d", "-p", "127.0.0.1::80", "busybox", "sleep", "100000"])).Ok("run a container to " + op).Stdout.Trim();
            default:
                return null;
        }
    }

    private Task<CommandResult> StartOperation(CrashOp op, string remote, string? target, string context, string tag, int index) => op switch
    {
        CrashOp.Pull => daemon.RunDockerAsync(["pull", remote], timeout: CallTimeout),
        CrashOp.Build => daemon.RunDockerAsync(["build", "-q", "--build-arg", $"N={index}-{Guid.NewGuid():N}", "-t", tag, context], timeout: CallTimeout),
        CrashOp.Run => daemon.RunDockerAsync(["run", "-d", "-p", "127.0.0.1::80", "busybox", "sleep", "100000"], timeout: CallTimeout),
        CrashOp.Stop => daemon.RunDockerAsync(["stop", "-t", "1", target!], timeout: CallTimeout),
        CrashOp.Remove => daemon.RunDockerAsync(["rm", "-f", target!], timeout: CallTimeout),
        CrashOp.RemoveImage => daemon.RunDockerAsync(["rmi", remote], timeout: CallTimeout),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>About how long each operation takes here, so that the kill lands anywhere from before it starts to after it ends.</summary>
    private static int MaxDelayMs(CrashOp op) => op switch
    {
        CrashOp.Pull => 700,
        CrashOp.Build => 2500,
        CrashOp.Run => 400,
        CrashOp.Stop => 1400,
        CrashOp.Remove => 400,
        CrashOp.RemoveImage => 200,
        _ => 500,
    };

    private static async Task<string[]> AllContainersAsync(StressApi api)
    {
        try
        {
            using var list = await api.ListAsync(all: true);
            return [.. list.RootElement.EnumerateArray().Select(c => c.GetProperty("Id").GetString()!)];
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }
}
