namespace Berth.Monitor;

/// <summary>
/// Encodes output as CRI log records, <c>&lt;time&gt; stdout|stderr F|P &lt;line&gt;</c>, P for the unfinished end of
/// what one read returned. Only for a log file that conmon (or an older Berth) started in that format: the monitor
/// continues it in kind until it is rotated; new files get <see cref="Berth.Runtime.Monitor.LogRecordFormat"/>.
/// </summary>
internal sealed class CriRecords
{
    private const int TimestampLength = 30; // 2006-01-02T15:04:05.000000000Z
    private byte[] _buffer = new byte[64 * 1024];
    private int _count;

    /// <summary>Encodes one read's data; the caller writes <see cref="Encoded"/> and then calls <see cref="Clear"/>.</summary>
    public void Encode(int stream, ReadOnlySpan<byte> data, DateTime utc)
    {
        Span<byte> prefix = stackalloc byte[TimestampLength + 8];
        FormatTimestamp(utc, prefix);
        (stream == 2 ? " stderr "u8 : " stdout "u8).CopyTo(prefix[TimestampLength..]);
        while (data.Length > 0)
        {
            var nl = data.IndexOf((byte)'\n');
            if (nl < 0)
            {
                Append(prefix, (byte)'P', data);
                break;
            }
            Append(prefix, (byte)'F', data[..nl]);
            data = data[(nl + 1)..];
        }
    }

    public ReadOnlySpan<byte> Encoded => _buffer.AsSpan(0, _count);

    public void Clear() => _count = 0;

    internal static void FormatTimestamp(DateTime utc, Span<byte> into)
    {
        // 7 fractional digits are all DateTime has; the CRI format's nanoseconds get two zeros.
        utc.TryFormat(into, out _, "yyyy-MM-dd'T'HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture);
        "00Z"u8.CopyTo(into[27..]);
    }

    private void Append(ReadOnlySpan<byte> prefix, byte tag, ReadOnlySpan<byte> content)
    {
        var need = prefix.Length + 2 + content.Length + 1;
        if (_count + need > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_count + need, _buffer.Length * 2));
        var span = _buffer.AsSpan(_count);
        prefix.CopyTo(span);
        span[prefix.Length] = tag;
        span[prefix.Length + 1] = (byte)' ';
        content.CopyTo(span[(prefix.Length + 2)..]);
        span[need - 1] = (byte)'\n';
        _count += need;
    }
}
