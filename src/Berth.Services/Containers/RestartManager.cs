using System.Collections.Concurrent;
using Berth.Api.Models.Containers;

namespace Berth.Services.Containers;

/// <summary>
/// Docker's restart policies (moby restartmanager): <c>no</c>, <c>always</c>, <c>unless-stopped</c>,
/// <c>on-failure[:N]</c>, with a backoff that starts at 100 ms, doubles on every restart up to one minute, and goes
/// back to 100 ms once a run lasted 10 s. A manual stop or kill cancels the container's manager until the next manual
/// start, so the exit it causes is not restarted (moby's Cancel plus HasBeenManuallyStopped).
/// </summary>
internal sealed class RestartManager
{
    internal static readonly TimeSpan InitialDelay = TimeSpan.FromMilliseconds(100);
    internal static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(1);
    internal static readonly TimeSpan ResetAfter = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed class Entry
    {
        public readonly Lock Gate = new();
        public TimeSpan Delay;
        public bool Canceled;
        public CancellationTokenSource? Pending;
    }

    /// <summary>The delay before the next restart, given the previous one and how long the last run lasted.</summary>
    public static TimeSpan NextDelay(TimeSpan previous, TimeSpan ran)
    {
        if (ran >= ResetAfter) previous = TimeSpan.Zero;
        var next = previous == TimeSpan.Zero ? InitialDelay : previous < MaxDelay ? previous * 2 : previous;
        return next > MaxDelay ? MaxDelay : next;
    }

    /// <summary>Whether the policy asks for a restart; <paramref name="restartCount"/> counts restarts since the last manual start.</summary>
    public static bool PolicyWantsRestart(RestartPolicy? policy, int restartCount, int exitCode, bool manuallyStopped) => policy?.Name switch
    {
        "always" => true,
        "unless-stopped" => !manuallyStopped,
        "on-failure" => exitCode != 0 && (policy.MaximumRetryCount <= 0 || restartCount < policy.MaximumRetryCount),
        _ => false,
    };

    /// <summary>
    /// Called with the container's lock held when its process ended: the delay before restarting it, or null when it
    /// stays stopped (policy says no, or a manual stop/kill canceled restarts).
    /// </summary>
    public TimeSpan? OnExit(ContainerDocument d, int exitCode, TimeSpan ran)
    {
        var e = _entries.GetOrAdd(d.Id, _ => new Entry());
        lock (e.Gate)
        {
            if (e.Canceled || d.HostConfig.RestartPolicy?.Name is null or "" or "no") return null;
            e.Delay = NextDelay(e.Delay, ran);
            return PolicyWantsRestart(d.HostConfig.RestartPolicy, d.RestartCount, exitCode, d.ManuallyStopped) ? e.Delay : null;
        }
    }

    /// <summary>A token that fires when the pending restart is canceled.</summary>
    public CancellationToken Arm(string id)
    {
        var e = _entries.GetOrAdd(id, _ => new Entry());
        lock (e.Gate)
        {
            e.Pending?.Dispose();
            e.Pending = new CancellationTokenSource();
            if (e.Canceled) e.Pending.Cancel();
            return e.Pending.Token;
        }
    }

    /// <summary>A manual stop or kill: no restart until the next manual start, and a pending one is dropped.</summary>
    public void Cancel(string id)
    {
        var e = _entries.GetOrAdd(id, _ => new Entry());
        lock (e.Gate)
        {
            e.Canceled = true;
            e.Pending?.Cancel();
        }
    }

    /// <summary>A manual start: a fresh manager (moby's ResetRestartManager), backoff back at its start.</summary>
    public void Reset(string id)
    {
        if (_entries.TryRemove(id, out var e))
            lock (e.Gate) e.Pending?.Dispose();
    }

    public void Forget(string id) => Reset(id);
}
