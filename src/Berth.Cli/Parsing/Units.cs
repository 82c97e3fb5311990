using System.Globalization;

namespace Berth.Cli.Parsing;

/// <summary>Flag value units as go-units parses them: RAMInBytes (binary, <c>512m</c>), <c>--cpus 1.5</c>, Go durations.</summary>
internal static class Units
{
    public static long RamInBytes(string s)
    {
        var t = s.Trim().ToLowerInvariant();
        var i = 0;
        while (i < t.Length && (char.IsDigit(t[i]) || t[i] == '.')) i++;
        if (i == 0 || !double.TryParse(t[..i], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            throw new UsageException($"invalid size: '{s}'");
        var unit = t[i..].TrimEnd('b', 'i');
        var mult = unit switch
        {
            "" => 1L,
            "k" => 1L << 10,
            "m" => 1L << 20,
            "g" => 1L << 30,
            "t" => 1L << 40,
            "p" => 1L << 50,
            _ => throw new UsageException($"invalid size: '{s}'"),
        };
        return (long)(n * mult);
    }

    public static long NanoCpus(string s)
    {
        if (!decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || d < 0)
            throw new UsageException($"invalid argument \"{s}\" for \"--cpus\" flag: failed to parse {s} as a rational number");
        return (long)(d * 1_000_000_000m);
    }

    /// <summary>Go's time.ParseDuration subset: <c>30s</c>, <c>1m30s</c>, <c>500ms</c>, <c>2h</c>.</summary>
    public static long GoDurationNanos(string s)
    {
        long total = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsDigit(s[i]) || s[i] == '.')) i++;
            var num = double.Parse(s[start..i], CultureInfo.InvariantCulture);
            var ustart = i;
            while (i < s.Length && char.IsLetter(s[i])) i++;
            total += (long)(num * (s[ustart..i] switch
            {
                "ns" => 1,
                "us" or "µs" => 1e3,
                "ms" => 1e6,
                "s" => 1e9,
                "m" => 60e9,
                "h" => 3600e9,
                _ => throw new UsageException($"time: unknown unit in duration \"{s}\""),
            }));
        }
        return total;
    }

    /// <summary>The CLI's --since/--until: Unix seconds pass through; a Go duration means that long ago; RFC 3339
    /// dates are converted.</summary>
    public static string Timestamp(string value, DateTimeOffset now)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return value;
        if (value.Length > 0 && char.IsDigit(value[0]) && char.IsLetter(value[^1]) && !value.Contains('-'))
        {
            var t = now - TimeSpan.FromTicks(GoDurationNanos(value) / 100);
            return t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "." + (t.Ticks % TimeSpan.TicksPerSecond * 100).ToString("000000000", CultureInfo.InvariantCulture);
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var d))
            return d.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "." + (d.Ticks % TimeSpan.TicksPerSecond * 100).ToString("000000000", CultureInfo.InvariantCulture);
        throw new UsageException($"invalid timestamp: {value}");
    }
}
