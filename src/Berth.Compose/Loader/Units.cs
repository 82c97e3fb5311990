using System.Globalization;
using System.Text;

namespace Berth.Compose.Loader;

/// <summary>Compose durations (Go time.ParseDuration: "1m30s", "100ms"; a bare number is seconds) and byte sizes
/// (go-units RAMInBytes: "512m", "1g", "1.5gb", binary multiples; a bare number is bytes).</summary>
internal static class Units
{
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        var s = text.Trim();
        if (s.Length == 0) return false;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }
        var negative = s[0] == '-';
        if (s[0] is '-' or '+') s = s[1..];
        if (s == "0") return true;
        double totalTicks = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (start == i) return false;
            if (!double.TryParse(s[start..i], NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return false;
            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.') i++;
            double ticksPerUnit = s[unitStart..i] switch
            {
                "ns" => 0.01,
                "us" or "µs" or "μs" => 10,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => -1,
            };
            if (ticksPerUnit < 0) return false;
            totalTicks += number * ticksPerUnit;
        }
        value = TimeSpan.FromTicks((long)Math.Round(negative ? -totalTicks : totalTicks));
        return true;
    }

    /// <summary>Formats like Go's Duration.String(): "1m30s", "500ms", "0s".</summary>
    public static string FormatDuration(TimeSpan d)
    {
        if (d == TimeSpan.Zero) return "0s";
        var sb = new StringBuilder();
        if (d < TimeSpan.Zero) { sb.Append('-'); d = d.Negate(); }
        if (d < TimeSpan.FromSeconds(1))
        {
            var ms = d.TotalMilliseconds;
            if (ms >= 1) return sb.Append(ms.ToString(CultureInfo.InvariantCulture)).Append("ms").ToString();
            return sb.Append((d.Ticks / 10.0).ToString(CultureInfo.InvariantCulture)).Append("µs").ToString();
        }
        var hours = (long)d.TotalHours;
        if (hours > 0) sb.Append(hours).Append('h');
        if (hours > 0 || d.Minutes > 0) sb.Append(d.Minutes).Append('m');
        var secs = d.Seconds + (d.Ticks % TimeSpan.TicksPerSecond) / (double)TimeSpan.TicksPerSecond;
        sb.Append(secs.ToString(CultureInfo.InvariantCulture)).Append('s');
        return sb.ToString();
    }

    public static bool TryParseBytes(string text, out long value)
    {
        value = 0;
        var s = text.Trim().ToLowerInvariant();
        var i = 0;
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
        if (i == 0 || !double.TryParse(s[..i], NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return false;
        var suffix = s[i..].Trim();
        if (suffix.EndsWith("ib", StringComparison.Ordinal)) suffix = suffix[..^2];
        else if (suffix.Length == 2 && suffix[1] == 'b') suffix = suffix[..1];
        double multiplier = suffix switch
        {
            "" or "b" => 1,
            "k" => 1L << 10,
            "m" => 1L << 20,
            "g" => 1L << 30,
            "t" => 1L << 40,
            "p" => 1L << 50,
            _ => -1,
        };
        if (multiplier < 0) return false;
        value = (long)(number * multiplier);
        return true;
    }
}
