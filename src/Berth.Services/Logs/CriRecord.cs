using System.Globalization;
using System.Text;

namespace Berth.Services.Logs;

/// <summary>Parses one CRI log record; the timestamp without allocating (conmon writes <c>2006-01-02T15:04:05.999999999+07:00</c>).</summary>
internal static class CriRecord
{
    public static bool TryParse(ReadOnlySpan<byte> line, out DateTimeOffset time, out int stream, out bool partial, out ReadOnlySpan<byte> content)
    {
        time = default; stream = 1; partial = false; content = default;
        var s1 = line.IndexOf((byte)' ');
        if (s1 < 0) return false;
        var rest = line[(s1 + 1)..];
        var s2 = rest.IndexOf((byte)' ');
        if (s2 < 0) return false;
        if (!TryParseTime(line[..s1], out time)) return false;
        stream = rest[..s2].SequenceEqual("stderr"u8) ? 2 : 1;
        var tag = rest[(s2 + 1)..];
        if (tag.Length >= 1 && (tag[0] == (byte)'P' || tag[0] == (byte)'F'))
        {
            partial = tag[0] == (byte)'P';
            content = tag.Length >= 2 ? tag[2..] : [];
        }
        else
        {
            content = tag;
        }
        return true;
    }

    internal static bool TryParseTime(ReadOnlySpan<byte> s, out DateTimeOffset time)
    {
        time = default;
        // yyyy-MM-ddTHH:mm:ss[.fffffffff](Z|±hh:mm)
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return Fallback(s, out time);
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second)) return Fallback(s, out time);
        var i = 19;
        long ticks = 0;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            var digits = 0;
            while (i < s.Length && s[i] >= '0' && s[i] <= '9')
            {
                if (digits < 7) ticks = ticks * 10 + (s[i] - '0');
                digits++;
                i++;
            }
            for (var d = digits; d < 7; d++) ticks *= 10;
        }
        var offset = TimeSpan.Zero;
        if (i < s.Length && s[i] == 'Z') i++;
        else if (i + 6 == s.Length && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':' && Digits(s, i + 1, 2, out var oh) && Digits(s, i + 4, 2, out var om))
        {
            offset = new TimeSpan(oh, om, 0);
            if (s[i] == '-') offset = -offset;
            i += 6;
        }
        if (i != s.Length) return Fallback(s, out time);
        try
        {
            time = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(ticks);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (s[i] < '0' || s[i] > '9') return false;
            value = value * 10 + (s[i] - '0');
        }
        return true;
    }

    private static bool Fallback(ReadOnlySpan<byte> s, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(Encoding.ASCII.GetString(s), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
}
