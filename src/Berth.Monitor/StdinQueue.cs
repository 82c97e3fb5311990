using System.Runtime.InteropServices;
using Berth.Runtime.Interop;

namespace Berth.Monitor;

/// <summary>
/// Bytes from attach clients on their way into the container's stdin. The descriptor is non-blocking: a container
/// that does not read its stdin must not stall its output, so what does not fit waits here and the monitor stops
/// reading from clients until it drains.
/// </summary>
internal sealed class StdinQueue(int fd)
{
    private readonly Queue<byte[]> _chunks = new();
    private int _offset;
    private bool _closeWhenDrained;

    public int Fd { get; private set; } = fd;

    public bool HasPending => _chunks.Count > 0;

    public void Enqueue(ReadOnlySpan<byte> data)
    {
        if (Fd >= 0 && data.Length > 0) _chunks.Enqueue(data.ToArray());
        Pump();
    }

    /// <summary>Writes what the pipe takes now.</summary>
    public unsafe void Pump()
    {
        while (Fd >= 0 && _chunks.TryPeek(out var chunk))
        {
            nint n;
            fixed (byte* p = chunk) n = Libc.Write(Fd, p + _offset, chunk.Length - _offset);
            if (n < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EINTR) continue;
                if (errno == Libc.EAGAIN) return;
                Close(); // EPIPE: the container closed its stdin; what is left has nowhere to go
                return;
            }
            _offset += (int)n;
            if (_offset < chunk.Length) continue;
            _chunks.Dequeue();
            _offset = 0;
        }
        if (_closeWhenDrained) Close();
    }

    /// <summary>Closes stdin once what is queued is written (an attached client detached and stdin was once-only).</summary>
    public void CloseWhenDrained()
    {
        _closeWhenDrained = true;
        Pump();
    }

    private void Close()
    {
        if (Fd >= 0) Libc.Close(Fd);
        Fd = -1;
        _chunks.Clear();
    }
}
