using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Berth.Client;

/// <summary>
/// Demultiplexes docker's framed stream (8-byte header: stream id, 3 zero bytes, big-endian uint32 length; then the
/// payload) into stdout and stderr. Stream 3 carries an error from the daemon and ends the copy with an exception,
/// as moby's stdcopy does.
/// </summary>
public static class StdCopy
{
    public static async Task CopyAsync(Stream source, Stream stdout, Stream stderr, CancellationToken ct)
    {
        var header = new byte[8];
        var buffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            while (true)
            {
                if (!await ReadExactlyOrEofAsync(source, header, ct)) return;
                var stream = (StdStream)header[0];
                var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
                if (header[0] > 3) throw new InvalidDataException($"Unrecognized input header: {header[0]}");
                if (stream == StdStream.SystemError)
                {
                    var msg = new byte[length];
                    await source.ReadExactlyAsync(msg, ct);
                    throw new IOException("Error from daemon in stream: " + Encoding.UTF8.GetString(msg));
                }
                var target = stream == StdStream.Stderr ? stderr : stdout;
                var remaining = (long)length;
                while (remaining > 0)
                {
                    var n = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), ct);
                    if (n == 0) throw new EndOfStreamException("unexpected EOF in a multiplexed frame");
                    await target.WriteAsync(buffer.AsMemory(0, n), ct);
                    remaining -= n;
                }
                await target.FlushAsync(ct);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses one frame from a buffer: false (consuming nothing) when incomplete, throws when malformed.</summary>
    public static bool TryReadFrame(ReadOnlySpan<byte> buffer, out StdStream stream, out int payloadOffset, out int payloadLength)
    {
        (stream, payloadOffset, payloadLength) = (default, 0, 0);
        if (buffer.Length < 8) return false;
        if (buffer[0] > 3) throw new InvalidDataException($"Unrecognized input header: {buffer[0]}");
        var length = BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]);
        if (buffer.Length - 8 < length) return false;
        (stream, payloadOffset, payloadLength) = ((StdStream)buffer[0], 8, (int)length);
        return true;
    }

    private static async Task<bool> ReadExactlyOrEofAsync(Stream s, byte[] buf, CancellationToken ct)
    {
        var read = 0;
        while (read < buf.Length)
        {
            var n = await s.ReadAsync(buf.AsMemory(read), ct);
            if (n == 0)
            {
                if (read == 0) return false;
                throw new EndOfStreamException("unexpected EOF in a multiplexed frame header");
            }
            read += n;
        }
        return true;
    }
}
