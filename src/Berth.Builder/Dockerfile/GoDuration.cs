using System.Globalization;

namespace Berth.Builder.Dockerfile;

/// <summary>Go's time.ParseDuration (<c>1h30m</c>, <c>1.5s</c>, <c>300ms</c>, <c>10us</c>), in nanoseconds.</summary>
public static class GoDuration
{
    public static long Parse(string s)
    {
        var orig = s;
        if (s.Length == 0) throw new FormatException($"time: invalid duration \"{orig}\"");
        var neg = false;
        if (s[0] is '-' or '+')
        {
            neg = s[0] == '-';
            s = s[1..];
        }
        if (s == "0") return 0;
        if (s.Length == 0) throw new FormatException($"time: invalid duration \"{orig}\"");
        decimal total = 0;
        while (s.Length > 0)
        {
            var i = 0;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (i == 0) throw new FormatException($"time: invalid duration \"{orig}\"");
            var number = decimal.Parse(s[..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            s = s[i..];
            var j = 0;
            while (j < s.Length && !char.IsAsciiDigit(s[j]) && s[j] != '.') j++;
            if (j == 0) throw new FormatException($"time: missing unit in duration \"{orig}\"");
            var unit = s[..j];
            s = s[j..];
            decimal scale = unit switch
            {
                "ns" => 1m,
                "us" or "µs" or "μs" => 1_000m,
                "ms" => 1_000_000m,
                "s" => 1_000_000_000m,
                "m" => 60_000_000_000m,
                "h" => 3_600_000_000_000m,
                _ => throw new FormatException($"time: unknown unit \"{unit}\" in duration \"{orig}\""),
            };
            total += number * scale;
        }
        var result = (long)decimal.Truncate(total);
        return neg ? -result : result;
    }
}
