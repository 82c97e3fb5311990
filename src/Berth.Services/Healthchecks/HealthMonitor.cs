using System.Collections.Concurrent;
using Berth.Api.Models.Containers;
using ContainerHealth = Berth.Api.Models.Containers.Health;
using Berth.Runtime;
using Berth.Services.Containers;
using Berth.Services.Events;

namespace Berth.Services.Healthchecks;

/// <summary>
/// Runs containers' health checks (image HEALTHCHECK or create's Healthcheck) inside them, as moby's daemon/health.go
/// does: the first probe one interval after start (the start interval while starting within the start period), a
/// success makes the container healthy, <c>retries</c> failures in a row make it unhealthy (failures inside the start
/// period do not count while it is still starting), the last five results are kept, and every status change is a
/// <c>health_status: …</c> event. Beyond Docker, the label <c>io.berth.health-on-failure</c> (none|kill|restart|stop)
/// acts on a container that turns unhealthy.
/// </summary>
public sealed class HealthMonitor : IAsyncDisposable
{
    public const string OnFailureLabel = "io.berth.health-on-failure";
    internal const int MaxLogEntries = 5;
    internal const int MaxOutputBytes = 4096;
    internal static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);
    internal static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    internal static readonly TimeSpan DefaultStartInterval = TimeSpan.FromSeconds(5);
    internal const int DefaultRetries = 3;

    private static readonly TimeSpan ScanInterval = TimeSpan.FromMilliseconds(100);
    private readonly ContainerService _containers;
    private readonly IContainerRuntime _runtime;
    private readonly EventHub _events;
    private readonly Action<string> _log;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, Probe> _probes = new(StringComparer.Ordinal);
    private Task? _loop;

    private sealed record Probe(string StartedAt, CancellationTokenSource Cancel, Task Loop);

    public HealthMonitor(ContainerService containers, IContainerRuntime runtime, EventHub events, Action<string> log, TimeProvider? time = null)
    {
        _containers = containers; _runtime = runtime; _events = events; _log = log;
        _time = time ?? TimeProvider.System;
    }

    public void Start() => _loop = Task.Run(() => ScanAsync(_stop.Token), CancellationToken.None);

    /// <summary>The check to run, or null when the container has none (no HEALTHCHECK, or NONE).</summary>
    internal static IReadOnlyList<string>? CommandOf(HealthConfig? hc) => hc?.Test switch
    {
        null or { Count: 0 } => null,
        ["NONE", ..] => null,
        ["CMD", .. var args] when args.Count > 0 => args,
        ["CMD-SHELL", var cmd, ..] => ["/bin/sh", "-c", cmd],
        _ => null,
    };

    // Containers are discovered by polling rather than through start/stop hooks, so containers recovered after a
    // daemon restart are covered the same way; each probe loop ends when its run (StartedAt) is over.
    private async Task ScanAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(ScanInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                foreach (var c in _containers.All)
                {
                    var d = c.Doc;
                    var active = d.State is { Running: true, Restarting: false, Health: not null } && CommandOf(d.Config.Healthcheck) is not null;
                    if (_probes.TryGetValue(c.Id, out var p))
                    {
                        if (active && p.StartedAt == d.State.StartedAt && !p.Loop.IsCompleted) continue;
                        await p.Cancel.CancelAsync();
                        _probes.TryRemove(c.Id, out _);
                    }
                    if (!active) continue;
                    var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    var startedAt = d.State.StartedAt;
                    _probes[c.Id] = new Probe(startedAt, cts, Task.Run(() => RunAsync(c, startedAt, cts.Token), CancellationToken.None));
                }
                foreach (var (id, p) in _probes)
                {
                    if (_containers.TryGet(id) is not null) continue;
                    await p.Cancel.CancelAsync();
                    _probes.TryRemove(id, out _);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Daemon shutdown.
        }
    }

    private async Task RunAsync(Container c, string startedAt, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(NextInterval(c), _time, ct);
                var d = c.Doc;
                if (d.State.StartedAt != startedAt || !d.State.Running || d.State.Restarting) return;
                if (d.State.Paused) continue;
                var hc = d.Config.Healthcheck!;
                var result = await ProbeAsync(c, CommandOf(hc)!, Duration(hc.Timeout, DefaultTimeout), ct);
                if (c.Doc.State.StartedAt != startedAt || c.Doc.State.Health is not ContainerHealth health) return;
                Record(c, health, result);
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended or the daemon stops.
        }
        catch (Exception ex)
        {
            _log($"health check of {c.Id}: {ex.Message}");
        }
    }

    private TimeSpan NextInterval(Container c)
    {
        var hc = c.Doc.Config.Healthcheck!;
        var interval = Duration(hc.Interval, DefaultInterval);
        var started = Timestamps.Parse(c.Doc.State.StartedAt) ?? _time.GetUtcNow();
        if (_time.GetUtcNow() - started >= Duration(hc.StartPeriod, TimeSpan.Zero)) return interval;
        return c.Doc.State.Health?.Status == "starting" ? Duration(hc.StartInterval, DefaultStartInterval) : interval;
    }

    private async Task<HealthcheckResult> ProbeAsync(Container c, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct)
    {
        var start = _time.GetUtcNow();
        var d = c.Doc;
        var process = new ProcessSpec(command, d.Config.Env ?? [], string.IsNullOrEmpty(d.Config.WorkingDir) ? "/" : d.Config.WorkingDir, d.Config.User ?? "", d.HostConfig.GroupAdd);
        int exitCode;
        string output;
        try
        {
            await using var exec = await _runtime.ExecAsync(c.Id, process, tty: false, attachStdin: false, privileged: false, ct);
            var collected = new ProbeOutput(MaxOutputBytes);
            var readOut = collected.DrainAsync(exec.Stdout);
            var readErr = exec.Stderr is null ? Task.CompletedTask : collected.DrainAsync(exec.Stderr);
            var finished = await Task.WhenAny(exec.ExitCode, Task.Delay(timeout, _time, ct));
            if (finished != exec.ExitCode)
            {
                ct.ThrowIfCancellationRequested();
                KillQuietly(exec.Pid);
                return new HealthcheckResult
                {
                    Start = Timestamps.Format(start),
                    End = Timestamps.Format(_time.GetUtcNow()),
                    ExitCode = -1,
                    Output = $"Health check exceeded timeout ({GoDuration(timeout)})",
                };
            }
            exitCode = await exec.ExitCode;
            await Task.WhenAny(Task.WhenAll(readOut, readErr), Task.Delay(TimeSpan.FromSeconds(1), _time, ct));
            output = collected.Text;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            exitCode = -1;
            output = ex.Message;
        }
        return new HealthcheckResult { Start = Timestamps.Format(start), End = Timestamps.Format(_time.GetUtcNow()), ExitCode = exitCode, Output = output };
    }

    private void Record(Container c, ContainerHealth health, HealthcheckResult result)
    {
        var hc = c.Doc.Config.Healthcheck!;
        var old = health.Status;
        // Copy-on-write, so a concurrent Persist or inspect never sees the list being changed.
        health.Log = [.. health.Log.Skip(Math.Max(0, health.Log.Count - (MaxLogEntries - 1))), result];
        if (result.ExitCode == 0)
        {
            health.FailingStreak = 0;
            health.Status = "healthy";
        }
        else
        {
            var started = Timestamps.Parse(c.Doc.State.StartedAt) ?? DateTimeOffset.MinValue;
            var inStartPeriod = old == "starting" && (Timestamps.Parse(result.Start) ?? started) - started < Duration(hc.StartPeriod, TimeSpan.Zero);
            if (!inStartPeriod)
            {
                health.FailingStreak++;
                if (health.FailingStreak >= (hc.Retries > 0 ? hc.Retries : DefaultRetries)) health.Status = "unhealthy";
            }
        }
        if (old == health.Status) return;
        _containers.Persist(c);
        _events.Publish("container", "health_status: " + health.Status, c.Id, _containers.Attributes(c));
        if (health.Status == "unhealthy" && c.Doc.Config.Labels?.GetValueOrDefault(OnFailureLabel) is { Length: > 0 } action and not "none")
            _ = Task.Run(() => ActAsync(c, action), CancellationToken.None);
    }

    private async Task ActAsync(Container c, string action)
    {
        try
        {
            _log($"container {c.Id} is unhealthy: health-on-failure={action}");
            await _containers.OnUnhealthyAsync(c, action, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _log($"health-on-failure={action} for {c.Id}: {ex.Message}");
        }
    }

    private static void KillQuietly(int pid)
    {
        if (pid <= 0) return;
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            p.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone: the probe ended just as its timeout fired.
        }
    }

    private static TimeSpan Duration(long nanos, TimeSpan fallback) => nanos > 0 ? TimeSpan.FromTicks(nanos / 100) : fallback;

    internal static string GoDuration(TimeSpan t) =>
        t.TotalSeconds >= 1 && t.Milliseconds == 0 ? $"{(long)t.TotalSeconds}s" : $"{(long)t.TotalMilliseconds}ms";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
        foreach (var p in _probes.Values)
        {
            await p.Cancel.CancelAsync();
            await p.Loop; // RunAsync ends quietly on cancellation
        }
        _stop.Dispose();
    }
}
