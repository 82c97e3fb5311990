using System.Buffers.Binary;

namespace Berth.Services.Logs;

/// <summary>
/// Writes log lines as stdcopy frames through a 256 KiB buffer. With <c>coalesce</c>, consecutive lines of one stream
/// share a frame of up to 64 KiB: clients demultiplex frame by frame with one write each (the docker CLI's stdcopy
/// does), so a frame per line makes them spend seconds in syscalls on a large log. Followed logs keep a frame per
/// line, since streaming clients (docker-py's logs(stream=True)) hand each frame to the user as one line.
/// </summary>
internal sealed class LogFrameWriter(Stream output, bool raw, bool coalesce)
{
    private const int BufferSize = 256 * 1024;
    private const int FrameLimit = 64 * 1024;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _length;
    private int _frameStart = -1; // header offset of the open frame in _buffer, -1 when none
    private int _stream;

    public async ValueTask AddAsync(int stream, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var header = raw ? 0 : 8;
        var join = coalesce && _frameStart >= 0 && stream == _stream && _length - _frameStart - header + payload.Length <= FrameLimit;
        var needed = payload.Length + (join ? 0 : header);
        if (_length + needed > BufferSize)
        {
            await FlushAsync(ct);
            join = false;
            needed = payload.Length + header;
        }
        if (needed > BufferSize)
        {
            // Larger than the whole buffer: straight through, as its own frame.
            if (!raw) await output.WriteAsync(Header(stream, payload.Length), ct);
            await output.WriteAsync(payload, ct);
            return;
        }
        if (!join)
        {
            CloseFrame();
            _frameStart = _length;
            _stream = stream;
            _length += header;
        }
        payload.Span.CopyTo(_buffer.AsSpan(_length));
        _length += payload.Length;
    }

    public async ValueTask FlushAsync(CancellationToken ct)
    {
        CloseFrame();
        if (_length == 0) return;
        await output.WriteAsync(_buffer.AsMemory(0, _length), ct);
        _length = 0;
    }

    private void CloseFrame()
    {
        if (_frameStart < 0) return;
        if (!raw)
        {
            var span = _buffer.AsSpan(_frameStart, 8);
            span.Clear();
            span[0] = (byte)_stream;
            BinaryPrimitives.WriteUInt32BigEndian(span[4..], (uint)(_length - _frameStart - 8));
        }
        _frameStart = -1;
    }

    private static byte[] Header(int stream, int length)
    {
        var h = new byte[8];
        h[0] = (byte)stream;
        BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(4), (uint)length);
        return h;
    }
}
