using System.Runtime.InteropServices;
using Berth.Runtime.Interop;
using Berth.Runtime.Monitor;

namespace Berth.Monitor;

/// <summary>
/// The container's log file. Each read of the container's output becomes one record, written with one writev(2):
/// header and data, no copying and no per-line work (<see cref="LogRecordFormat"/>). A file conmon started in the CRI
/// format is continued in that format (<see cref="CriRecords"/>) until berthd rotates it. A write the disk could only
/// take part of is cut back, so the file never holds half a record.
/// </summary>
internal sealed unsafe class LogFile : IDisposable
{
    private const int SEEK_END = 2;
    private readonly string _path;
    private int _fd = -1;
    private long _size;
    private CriRecords? _cri;

    public LogFile(string path)
    {
        _path = path;
        Open();
    }

    public void Write(int stream, ReadOnlySpan<byte> data)
    {
        if (_fd < 0 || data.Length == 0) return;
        var now = DateTime.UtcNow;
        if (_cri is not null)
        {
            _cri.Encode(stream, data, now);
            WriteAll(ReadOnlySpan<byte>.Empty, _cri.Encoded);
            _cri.Clear();
            return;
        }
        Span<byte> header = stackalloc byte[LogRecordFormat.HeaderSize];
        LogRecordFormat.WriteHeader(header, stream, data.Length, now);
        WriteAll(header, data);
    }

    /// <summary>Closes and opens the file again: berthd renamed it away to rotate it.</summary>
    public void Reopen()
    {
        if (_fd >= 0) Libc.Close(_fd);
        Open();
    }

    public void Dispose()
    {
        if (_fd >= 0) Libc.Close(_fd);
        _fd = -1;
    }

    private void Open()
    {
        _cri = null;
        _fd = Libc.Open(_path, Libc.O_RDWR | Libc.O_APPEND | Libc.O_CREAT | Libc.O_CLOEXEC, 0x1a0); // read too: the first bytes tell the format
        if (_fd < 0)
        {
            MonitorLog.Warn($"cannot open log {_path}: {Libc.LastError()}");
            return;
        }
        _size = Libc.Lseek(_fd, 0, SEEK_END);
        if (_size == 0) WriteAll(LogRecordFormat.Magic, ReadOnlySpan<byte>.Empty);
        else if (!StartsWithMagic()) _cri = new CriRecords();
    }

    private bool StartsWithMagic()
    {
        var first = stackalloc byte[8];
        return Libc.Pread(_fd, first, 8, 0) == 8 && new ReadOnlySpan<byte>(first, 8).SequenceEqual(LogRecordFormat.Magic);
    }

    private void WriteAll(ReadOnlySpan<byte> head, ReadOnlySpan<byte> body)
    {
        fixed (byte* h = head)
        fixed (byte* b = body)
        {
            var iov = stackalloc Libc.IoVec[2];
            iov[0] = new Libc.IoVec { Base = h, Length = (nuint)head.Length };
            iov[1] = new Libc.IoVec { Base = b, Length = (nuint)body.Length };
            long total = head.Length + body.Length, done = 0;
            while (done < total)
            {
                var n = Libc.Writev(_fd, iov, 2);
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Libc.EINTR) continue;
                    // A full disk loses output, not the container; and not the file's shape either.
                    MonitorLog.Warn($"log {_path}: {Libc.LastError()}");
                    if (done > 0) Libc.Ftruncate(_fd, _size);
                    return;
                }
                done += n;
                Advance(iov, n);
            }
            _size += total;
        }
    }

    private static void Advance(Libc.IoVec* iov, nint n)
    {
        for (var i = 0; i < 2 && n > 0; i++)
        {
            var step = (nint)Math.Min((nuint)n, iov[i].Length);
            iov[i].Base = (byte*)iov[i].Base + step;
            iov[i].Length -= (nuint)step;
            n -= step;
        }
    }
}
