using System.Globalization;
using System.Text;

namespace Berth.Services.Logs;

/// <summary>One log line (or, with a TTY, one chunk) and when it was written.</summary>
public readonly record struct LogEntry(DateTimeOffset Time, int Stream, ReadOnlyMemory<byte> Content)
{
    /// <summary>Docker's <c>--timestamps</c> prefix: RFC 3339 with exactly nine fractional digits.</summary>
    public static ReadOnlyMemory<byte> WithTimestamp(LogEntry e)
    {
        var stamp = e.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z' ", CultureInfo.InvariantCulture);
        var prefix = Encoding.ASCII.GetBytes(stamp);
        var result = new byte[prefix.Length + e.Content.Length];
        prefix.CopyTo(result, 0);
        e.Content.Span.CopyTo(result.AsSpan(prefix.Length));
        return result;
    }
}
