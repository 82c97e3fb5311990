using System.Buffers;
using System.Globalization;

namespace Berth.Api.Http;

/// <summary>
/// The request body, framed by Content-Length or chunked transfer coding (the CLI streams build contexts chunked).
/// Reading past the end returns 0; a connection that ends early or malformed chunk framing throws <see cref="IOException"/>.
/// </summary>
internal sealed class RequestBodyStream : Stream
{
    private const int MaxChunkLine = 4096;

    private readonly HttpConnection _conn;
    private readonly ConnectionInput _input;
    private readonly bool _chunked;
    private long _remaining;
    private ChunkState _state;
    private bool _started;
    private long _lineValue = -1;   // the chunk size parsed from the last line read

    public RequestBodyStream(HttpConnection conn, ConnectionInput input, long contentLength, bool chunked)
    {
        _conn = conn;
        _input = input;
        _chunked = chunked;
        _remaining = chunked ? 0 : contentLength;
        _state = chunked ? ChunkState.Size : ChunkState.Data;
        if (!chunked && contentLength == 0) _state = ChunkState.Done;
    }

    private enum ChunkState { Size, Data, DataEnd, Trailers, Done }

    public bool IsComplete => _state == ChunkState.Done;

    /// <summary>Every remaining body byte is already in the connection buffer, so reading it never touches the socket.</summary>
    public bool IsFullyBuffered => IsComplete || (!_chunked && _remaining <= _input.BufferedCount);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || _state == ChunkState.Done) return 0;
        if (!_started)
        {
            _started = true;
            await _conn.SendContinueIfExpectedAsync(cancellationToken).ConfigureAwait(false);
        }
        while (true)
        {
            switch (_state)
            {
                case ChunkState.Size:
                    _remaining = ParseChunkSize(await ReadLineAsync(cancellationToken).ConfigureAwait(false));
                    _state = _remaining == 0 ? ChunkState.Trailers : ChunkState.Data;
                    break;
                case ChunkState.Data:
                    var want = (int)Math.Min(buffer.Length, _remaining);
                    var n = await _input.ReadAsync(buffer[..want], cancellationToken).ConfigureAwait(false);
                    if (n == 0) throw Truncated();
                    _remaining -= n;
                    if (_remaining == 0) Finish(_chunked ? ChunkState.DataEnd : ChunkState.Done);
                    return n;
                case ChunkState.DataEnd:
                    if (await ReadLineAsync(cancellationToken).ConfigureAwait(false) != 0) throw Malformed();
                    _state = ChunkState.Size;
                    break;
                case ChunkState.Trailers:
                    // Trailer fields are read and dropped; nothing in the Engine API sends them.
                    if (await ReadLineAsync(cancellationToken).ConfigureAwait(false) == 0) Finish(ChunkState.Done);
                    break;
                default:
                    return 0;
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Reads and drops the rest of the body; false if more than <paramref name="limit"/> bytes remain or it fails.</summary>
    public async ValueTask<bool> DrainAsync(long limit, CancellationToken ct)
    {
        if (IsComplete) return true;
        var scratch = ArrayPool<byte>.Shared.Rent(8192);
        try
        {
            long total = 0;
            while (!IsComplete)
            {
                var n = await ReadAsync(scratch, ct).ConfigureAwait(false);
                total += n;
                if (total > limit) return false;
            }
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Finish(ChunkState next)
    {
        _state = next;
        if (next == ChunkState.Done) _conn.OnRequestBodyComplete();
    }

    /// <summary>Reads one CRLF- (or LF-) terminated line, returns its length and leaves its hex prefix in _lineValue.</summary>
    private async ValueTask<int> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var buffered = _input.Buffered;
            var lf = buffered.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var line = buffered[..lf];
                if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
                _lineValue = line.Length == 0 ? 0 : ParseHexPrefix(line);
                var len = line.Length;
                _input.Consume(lf + 1);
                return len;
            }
            if (buffered.Length > MaxChunkLine) throw Malformed();
            if (!await _input.FillAsync(ct).ConfigureAwait(false)) throw Truncated();
        }
    }

    private long ParseChunkSize(int lineLength)
    {
        if (lineLength == 0 || _lineValue < 0) throw Malformed();
        return _lineValue;
    }

    // chunk-size [; chunk-ext]; returns -1 when the line does not start with a valid size.
    private static long ParseHexPrefix(ReadOnlySpan<byte> line)
    {
        var semi = line.IndexOf((byte)';');
        var digits = (semi < 0 ? line : line[..semi]).TrimEnd(" \t"u8);
        if (digits.IsEmpty || digits.Length > 15) return -1;
        return long.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v) ? v : -1;
    }

    private EndOfStreamException Truncated()
    {
        _conn.MarkBroken();
        // EndOfStreamException is still an IOException for the copy loops, and the router answers it 400 (the
        // client sent less than it announced: Go's server reports io.ErrUnexpectedEOF to dockerd's handlers alike).
        return new EndOfStreamException("unexpected end of request body");
    }

    // Not an IOException: the client sent bad framing (a 400, as Go's server answers), the connection is not gone.
    private InvalidDataException Malformed()
    {
        _conn.MarkBroken();
        return new InvalidDataException("malformed chunked request body");
    }
}
