using System.Globalization;
using System.Text;
using Berth.Runtime.Interop;

namespace Berth.Monitor;

/// <summary>
/// BUNDLE/ctl, a fifo berthd writes one-line commands to (conmon's format): "1 HEIGHT WIDTH" resizes the terminal,
/// "2 0 0" reopens the log file after a rotation. Opened read-write so it never reads end-of-file.
/// </summary>
internal sealed class ControlFifo : IDisposable
{
    private readonly StringBuilder _pending = new();

    private ControlFifo(int fd) => Fd = fd;

    public int Fd { get; }

    public static ControlFifo Open(string bundle)
    {
        var path = Path.Combine(bundle, "ctl");
        File.Delete(path);
        if (Libc.Mkfifo(path, 0x180) != 0) throw new CreationFailedException($"control fifo {path}: {Libc.LastError()}");
        var fd = Libc.Open(path, Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
        if (fd < 0) throw new CreationFailedException($"control fifo {path}: {Libc.LastError()}");
        return new ControlFifo(fd);
    }

    /// <summary>Reads what is there and returns the complete commands as (kind, a, b).</summary>
    public unsafe List<(int Kind, int A, int B)> Read()
    {
        var commands = new List<(int, int, int)>();
        var buf = stackalloc byte[512];
        nint n;
        while ((n = Libc.Read(Fd, buf, 512)) > 0) _pending.Append(Encoding.ASCII.GetString(buf, (int)n));
        int nl;
        while ((nl = _pending.ToString().IndexOf('\n', StringComparison.Ordinal)) >= 0)
        {
            var line = _pending.ToString(0, nl);
            _pending.Remove(0, nl + 1);
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 3 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kind)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var a)
                && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var b))
                commands.Add((kind, a, b));
            else MonitorLog.Warn($"ignoring control line '{line}'");
        }
        return commands;
    }

    public void Dispose() => Libc.Close(Fd);
}
