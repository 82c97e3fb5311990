using System.Buffers.Binary;

namespace Berth.Runtime.Monitor;

/// <summary>
/// The container log format berth-monitor writes: the file starts with the 8 bytes <c>BERTHLG1</c>, then records of a
/// 16-byte header (stream byte 1 = stdout, 2 = stderr; three zero bytes; the data length, uint32 little-endian; the
/// time the monitor read it, Unix nanoseconds, int64 little-endian) and the data exactly as the container wrote it,
/// several lines or a piece of one. Lines are not re-encoded and a record covers a whole read, so writing and reading a
/// log costs little more than the copy (conmon's CRI format adds ~40 bytes and a timestamp to parse per line).
/// A file that does not start with the magic is a CRI log (conmon's, or older Berth's).
/// </summary>
public static class LogRecordFormat
{
    public const int HeaderSize = 16;

    /// <summary>Larger than any read of the monitor's; a header claiming more is damage, not data.</summary>
    public const int MaxRecordLength = 16 << 20;

    public static ReadOnlySpan<byte> Magic => "BERTHLG1"u8;

    public static void WriteHeader(Span<byte> header, int stream, int length, DateTime utc)
    {
        header[..HeaderSize].Clear();
        header[0] = (byte)stream;
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)length);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], (utc.Ticks - DateTime.UnixEpoch.Ticks) * 100);
    }

    /// <summary>Reads a header; false when it cannot be one (a torn or damaged file ends there).</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out int stream, out int length, out DateTimeOffset time)
    {
        stream = header[0];
        var size = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        var nanos = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        length = (int)Math.Min(size, int.MaxValue);
        time = default;
        if (stream is not (1 or 2) || header[1] != 0 || size > MaxRecordLength || nanos < 0) return false;
        time = new DateTimeOffset(DateTime.UnixEpoch.Ticks + nanos / 100, TimeSpan.Zero);
        return true;
    }
}
