using System.Runtime.InteropServices;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// SIGINT/SIGTERM while an attached <c>compose up</c> follows its containers, handled as docker/compose's up session does:
/// the first stops the project's containers gracefully, a second kills them. The process itself keeps running so the
/// stop (or kill) finishes and the last log lines are printed; the command then exits 130.
/// </summary>
internal sealed class UpInterrupts : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;
    private readonly Func<Task> _stop;
    private readonly Func<Task> _kill;
    private readonly Lock _lock = new();
    private readonly List<Task> _running = [];
    private int _count;

    public UpInterrupts(Func<Task> stop, Func<Task> kill)
    {
        _stop = stop;
        _kill = kill;
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>Whether a signal arrived.</summary>
    public bool Interrupted => Volatile.Read(ref _count) > 0;

    /// <summary>Fires with the first signal, so the caller can stop waiting on something else.</summary>
    public CancellationTokenSource FirstSignal { get; } = new();

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        var n = Interlocked.Increment(ref _count);
        // A third and later signal changes nothing: the kill is already under way.
        if (n > 2) return;
        var work = Task.Run(n == 1 ? _stop : _kill);
        lock (_lock) _running.Add(work);
        if (n == 1) FirstSignal.Cancel();
    }

    /// <summary>Waits for the stop and kill the signals began; their failures surface here.</summary>
    public Task WhenDoneAsync()
    {
        lock (_lock) return Task.WhenAll(_running.ToArray());
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        FirstSignal.Dispose();
    }
}
