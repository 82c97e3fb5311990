namespace Berth.Services.Images;

/// <summary>
/// Keeps content garbage collection away from blobs still being written: pulls, loads and commits hold a lease while their blobs
/// are not yet referenced by an image record, and a collection only runs when none is held.
/// </summary>
public sealed class ContentGate
{
    private readonly object _lock = new();   // Monitor.Wait/PulseAll: System.Threading.Lock has no condition variable
    private int _active;
    private bool _collecting;

    public IDisposable Enter()
    {
        lock (_lock)
        {
            while (_collecting) Monitor.Wait(_lock);
            _active++;
        }
        return new Lease(this);
    }

    /// <summary>Runs <paramref name="collect"/> if nothing is being written; returns false when it was skipped.</summary>
    public bool TryCollect(Action collect)
    {
        lock (_lock)
        {
            if (_active > 0 || _collecting) return false;
            _collecting = true;
        }
        try
        {
            collect();
        }
        finally
        {
            lock (_lock)
            {
                _collecting = false;
                Monitor.PulseAll(_lock);
            }
        }
        return true;
    }

    private void Exit()
    {
        lock (_lock) _active--;
    }

    private sealed class Lease(ContentGate gate) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) gate.Exit();
        }
    }
}
