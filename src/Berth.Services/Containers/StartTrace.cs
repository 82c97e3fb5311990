using System.Diagnostics;
using System.Text;

namespace Berth.Services.Containers;

/// <summary>
/// Phase timings of one lifecycle step for berthd's debug log ("start abc: rootfs 0.4, runtime-create 21.0 … = 30.2 ms").
/// A struct that does nothing when no log is set, so the hot path pays nothing at info level.
/// </summary>
internal struct StartTrace
{
    private readonly Action<string>? _log;
    private readonly long _start;
    private long _last;
    private StringBuilder? _parts;

    private StartTrace(Action<string> log)
    {
        _log = log;
        _start = _last = Stopwatch.GetTimestamp();
        _parts = new StringBuilder();
    }

    public static StartTrace Begin(Action<string>? log) => log is null ? default : new StartTrace(log);

    public void Mark(string phase)
    {
        if (_log is null) return;
        var now = Stopwatch.GetTimestamp();
        _parts!.Append(phase).Append(' ').Append(Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)).Append(", ");
        _last = now;
    }

    public readonly void End(string what)
    {
        if (_log is null) return;
        var total = Stopwatch.GetElapsedTime(_start).TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        _log($"{what}: {_parts}= {total} ms");
    }
}
