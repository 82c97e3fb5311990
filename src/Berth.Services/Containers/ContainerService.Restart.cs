using Berth.Runtime;

namespace Berth.Services.Containers;

/// <summary>Restart policies: what happens after an exit, on manual stop/start, and when the daemon starts.</summary>
public sealed partial class ContainerService
{
    private readonly RestartManager _restarts = new();

    private RestartManager Restarts => _restarts;

    /// <summary>Records an exit (lock held). Returns the delay before a policy restart, or null when the container stays stopped.</summary>
    private TimeSpan? ApplyExitState(Container c, ContainerExit exit)
    {
        var d = c.Doc;
        var started = Timestamps.Parse(d.State.StartedAt) ?? exit.FinishedAt;
        var delay = Restarts.OnExit(d, exit.ExitCode, exit.FinishedAt - started);
        // Docker counts a restarting container as running (Running and Restarting both true), so stop/rm/ps treat it so.
        d.State.Status = delay is null ? "exited" : "restarting";
        d.State.Running = delay is not null;
        d.State.Restarting = delay is not null;
        d.State.Paused = false;
        d.State.Pid = 0;
        d.State.ExitCode = exit.ExitCode;
        d.State.OOMKilled = exit.OomKilled;
        d.State.FinishedAt = Timestamps.Format(exit.FinishedAt);
        if (delay is not null) d.RestartCount++;
        return delay;
    }

    /// <summary>Whole seconds the run lasted, for the die event's execDuration attribute.</summary>
    private static string ExecDurationSeconds(ContainerDocument d, ContainerExit exit)
    {
        var started = Timestamps.Parse(d.State.StartedAt) ?? exit.FinishedAt;
        return ((long)Math.Max(0, (exit.FinishedAt - started).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Starts the container again after <paramref name="delay"/> unless a stop, kill or removal cancels it first.</summary>
    private void ScheduleRestart(Container c, TimeSpan delay)
    {
        var ct = Restarts.Arm(c.Id);
        _ = Task.Run(async () =>
        {
            try { await Task.Delay(delay, _time, ct); }
            catch (OperationCanceledException) { return; }
            await c.Lock.WaitAsync(CancellationToken.None);
            try
            {
                if (!c.Doc.State.Restarting || ct.IsCancellationRequested || !_byId.ContainsKey(c.Id)) return;
                try
                {
                    await StartLockedAsync(c, CancellationToken.None);
                }
                catch (Exception ex)
                {
                    // As moby: a restart that fails to start leaves the container stopped; the policy does not retry.
                    _log($"restart of {c.Id} failed: {ex.Message}");
                    SetStopped(c);
                }
            }
            finally
            {
                c.Lock.Release();
            }
        }, CancellationToken.None);
    }

    private void SetStopped(Container c)
    {
        c.Doc.State.Status = "exited";
        c.Doc.State.Running = false;
        c.Doc.State.Restarting = false;
        c.Doc.State.Pid = 0;
        Persist(c);
    }

    /// <summary>A user's stop, kill or restart: the exit it causes must not be restarted by the policy.</summary>
    private void MarkManuallyStopped(Container c)
    {
        Restarts.Cancel(c.Id);
        if (c.Doc.ManuallyStopped) return;
        c.Doc.ManuallyStopped = true;
        Persist(c);
    }

    /// <summary>A user's start: a fresh restart manager and count, as moby's containerStart(resetRestartManager: true).</summary>
    private void ResetRestartState(Container c)
    {
        Restarts.Reset(c.Id);
        c.Doc.ManuallyStopped = false;
        c.Doc.RestartCount = 0;
    }

    /// <summary>
    /// Stops a container that is waiting between policy restarts (nothing runs, so there is nothing to signal).
    /// Returns false when it is not waiting, i.e. the caller must stop a live process.
    /// </summary>
    private async Task<bool> StopPendingRestartAsync(Container c)
    {
        if (!c.Doc.State.Restarting) return false;
        Restarts.Cancel(c.Id);
        await c.Lock.WaitAsync(CancellationToken.None);
        try
        {
            if (!c.Doc.State.Restarting) return false;
            SetStopped(c);
            return true;
        }
        finally
        {
            c.Lock.Release();
        }
    }

    /// <summary>
    /// At daemon start, after exits were reconciled: containers the policy wants back (moby restore: started before,
    /// ShouldRestart on the last exit) are started again, e.g. those that were waiting for a restart when the daemon died.
    /// </summary>
    private void RestartOnDaemonStart()
    {
        foreach (var c in _byId.Values)
        {
            var d = c.Doc;
            if (d.RuntimeActive || d.State.Paused || Timestamps.Parse(d.State.StartedAt) is null) continue;
            if (d.State.Status is not ("exited" or "restarting")) continue;
            if (!d.State.Restarting && !RestartManager.PolicyWantsRestart(d.HostConfig.RestartPolicy, d.RestartCount, d.State.ExitCode, d.ManuallyStopped)) continue;
            d.State.Status = "restarting";
            d.State.Running = true;
            d.State.Restarting = true;
            ScheduleRestart(c, TimeSpan.Zero);
        }
    }
}
