namespace Berth.Services.Containers;

/// <summary>
/// A container as the daemon holds it in memory: its persisted document plus the signals that waiters, attachers and
/// lifecycle operations synchronise on. Lifecycle changes take <see cref="Lock"/>; readers copy what they need.
/// </summary>
public sealed class Container(ContainerDocument doc)
{
    private TaskCompletionSource<int> _nextExit = NewTcs<int>();
    private TaskCompletionSource _removed = NewTcs();
    private TaskCompletionSource _runtimeCreated = NewTcs();

    public ContainerDocument Doc { get; } = doc;
    public string Id => Doc.Id;
    public string Name => Doc.Name;
    public SemaphoreSlim Lock { get; } = new(1, 1);

    /// <summary>Attach requests that arrived before start (the CLI attaches first); start waits for them to connect.</summary>
    public int PendingAttaches;

    /// <summary>Connected attach sessions of the current run; start waits until the pending ones have connected.</summary>
    public int ConnectedAttaches;

    public bool IsRunning => Doc.State.Running;
    public string Status => Doc.State.Status;

    public Task<int> NextExit => _nextExit.Task;
    public Task Removed => _removed.Task;
    public Task RuntimeCreated => _runtimeCreated.Task;

    /// <summary>Called when a new run begins, so next-exit waiters started now see this run's exit.</summary>
    public void ArmForRun()
    {
        if (_nextExit.Task.IsCompleted) _nextExit = NewTcs<int>();
        if (_runtimeCreated.Task.IsCompleted) _runtimeCreated = NewTcs();
    }

    public void SignalRuntimeCreated() => _runtimeCreated.TrySetResult();

    public void SignalExit(int code)
    {
        _nextExit.TrySetResult(code);
        // Attachers still waiting for a start that failed must not hang.
        _runtimeCreated.TrySetCanceled();
    }

    public void SignalRemoved()
    {
        _nextExit.TrySetResult(Doc.State.ExitCode);
        _runtimeCreated.TrySetCanceled();
        _removed.TrySetResult();
    }

    private static TaskCompletionSource NewTcs() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static TaskCompletionSource<T> NewTcs<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
