using System.Buffers;

namespace Berth.Api.Http;

/// <summary>
/// The receive side of one connection: a pooled buffer that grows up to the header limit, shared by the head parser,
/// the request body decoders and a hijacked stream. At most one receive is outstanding at any time; the abort monitor's
/// background read (<see cref="StartMonitor"/>) lands in the same buffer and is collected by the next reader.
/// </summary>
internal sealed class ConnectionInput
{
    private const int InitialSize = 4096;
    private const int MaxSize = RequestParser.MaxHead + 8192;
    private const int DirectReadThreshold = 2048;

    private readonly ConnectionTransport _transport;
    private byte[] _buf = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _start;
    private int _end;
    private bool _eof;
    private Task<int>? _pending;

    public ConnectionInput(ConnectionTransport transport) => _transport = transport;

    public ReadOnlySpan<byte> Buffered => _buf.AsSpan(_start, _end - _start);

    public int BufferedCount => _end - _start;

    public bool IsEof => _eof && _start == _end;

    public void Consume(int count)
    {
        _start += count;
        if (_start == _end && _pending is null) _start = _end = 0;
    }

    /// <summary>Receives more bytes into the buffer; false at end of stream. A transport error throws <see cref="IOException"/>.</summary>
    public async ValueTask<bool> FillAsync(CancellationToken ct)
    {
        if (_eof) return false;
        int n;
        if (_pending is { } p)
        {
            n = await p.WaitAsync(ct).ConfigureAwait(false);
            _pending = null;
            if (n < 0) throw new IOException("connection reset by peer");
        }
        else
        {
            MakeRoom();
            n = await ReceiveAsync(_buf.AsMemory(_end), ct).ConfigureAwait(false);
        }
        return Advance(n);
    }

    public bool Fill()
    {
        if (_eof) return false;
        int n;
        if (_pending is { } p)
        {
            n = p.GetAwaiter().GetResult();
            _pending = null;
            if (n < 0) throw new IOException("connection reset by peer");
        }
        else
        {
            MakeRoom();
            n = _transport.Receive(_buf.AsSpan(_end));
        }
        return Advance(n);
    }

    /// <summary>Copies buffered bytes, or receives, into <paramref name="dest"/>; 0 at end of stream.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> dest, CancellationToken ct)
    {
        if (dest.IsEmpty) return 0;
        if (BufferedCount == 0)
        {
            if (_eof) return 0;
            // Large reads go straight into the caller's memory (build contexts, stdin) to avoid a copy.
            if (_pending is null && dest.Length >= DirectReadThreshold)
            {
                var n = await ReceiveAsync(dest, ct).ConfigureAwait(false);
                if (n == 0) _eof = true;
                return n;
            }
            if (!await FillAsync(ct).ConfigureAwait(false)) return 0;
        }
        return CopyOut(dest.Span);
    }

    public int Read(Span<byte> dest)
    {
        if (dest.IsEmpty) return 0;
        if (BufferedCount == 0 && !Fill()) return 0;
        return CopyOut(dest);
    }

    /// <summary>
    /// Starts a background receive so that a client hang-up is noticed while a handler streams (wait, events, logs).
    /// <paramref name="onClosed"/> runs on EOF or error; bytes that arrive (a pipelined request) stay buffered.
    /// </summary>
    public void StartMonitor(Action onClosed)
    {
        if (_pending is not null || _eof) return;
        try
        {
            MakeRoom();
        }
        catch (HttpParseException)
        {
            return;   // the buffer is full of pipelined bytes: hang-ups are noticed on the next write instead
        }
        _pending = MonitorAsync(_buf.AsMemory(_end), onClosed);
    }

    /// <summary>Waits for the monitor's read (the socket must be closed first) and returns the buffer to the pool.</summary>
    public async ValueTask ReleaseAsync()
    {
        if (_pending is { } p) await p.ConfigureAwait(false);
        _pending = null;
        var buf = _buf;
        _buf = [];
        _start = _end = 0;
        if (buf.Length > 0) ArrayPool<byte>.Shared.Return(buf);
    }

    private int CopyOut(Span<byte> dest)
    {
        var n = Math.Min(dest.Length, BufferedCount);
        _buf.AsSpan(_start, n).CopyTo(dest);
        Consume(n);
        return n;
    }

    private bool Advance(int n)
    {
        if (n == 0)
        {
            _eof = true;
            return false;
        }
        _end += n;
        return true;
    }

    private void MakeRoom()
    {
        const int minFree = 1024;
        if (_buf.Length - _end >= minFree) return;
        if (_start > 0)
        {
            _buf.AsSpan(_start, _end - _start).CopyTo(_buf);
            _end -= _start;
            _start = 0;
            if (_buf.Length - _end >= minFree) return;
        }
        if (_buf.Length >= MaxSize)
        {
            if (_end < _buf.Length) return;
            throw new HttpParseException(431, "request header fields too large");
        }
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buf.Length * 2, MaxSize));
        _buf.AsSpan(0, _end).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buf);
        _buf = bigger;
    }

    private ValueTask<int> ReceiveAsync(Memory<byte> dest, CancellationToken ct) => _transport.ReceiveAsync(dest, ct);

    private async Task<int> MonitorAsync(Memory<byte> dest, Action onClosed)
    {
        int n;
        try
        {
            n = await _transport.ReceiveAsync(dest, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Reported as -1 to whoever collects the read; never left unobserved.
            n = -1;
        }
        // Never inline: the read may complete synchronously inside StartMonitor, under the connection's lock.
        if (n <= 0) ThreadPool.QueueUserWorkItem(static a => a(), onClosed, preferLocal: false);
        return n;
    }
}
