namespace Berth.Distribution.Transfer;

/// <summary>Lets a byte-count progress report through at most every 100 ms, so a fast transfer does not flood the client.</summary>
public sealed class ProgressThrottle(Action<ProgressEvent> sink, string id, string status, long total)
{
    private long _last = long.MinValue;

    public void Report(long current)
    {
        var now = Environment.TickCount64;
        if (now - _last < 100 && current < total) return;
        _last = now;
        sink(new ProgressEvent(id, status, current, total));
    }
}
