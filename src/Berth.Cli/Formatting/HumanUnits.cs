using System.Globalization;

namespace Berth.Cli.Formatting;

/// <summary>go-units' HumanDuration and HumanSize (decimal units, %.Ng), the texts docker prints in ps/images.</summary>
internal static class HumanUnits
{
    private static readonly string[] DecimalUnits = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];

    public static string Duration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < 1) return "Less than a second";
        if (seconds == 1) return "1 second";
        if (seconds < 60) return $"{seconds} seconds";
        var minutes = (long)d.TotalMinutes;
        if (minutes == 1) return "About a minute";
        if (minutes < 60) return $"{minutes} minutes";
        var hours = (long)Math.Round(d.TotalHours, MidpointRounding.AwayFromZero);
        if (hours == 1) return "About an hour";
        if (hours < 48) return $"{hours} hours";
        if (hours < 24 * 7 * 2) return $"{hours / 24} days";
        if (hours < 24 * 30 * 2) return $"{hours / 24 / 7} weeks";
        if (hours < 24 * 365 * 2) return $"{hours / 24 / 30} months";
        return $"{(long)d.TotalHours / 24 / 365} years";
    }

    /// <summary>HumanSizeWithPrecision: 4261234 → <c>4.26MB</c> (precision 3), 999 → <c>999B</c>.</summary>
    public static string Size(double size, int precision = 3)
    {
        var i = 0;
        while (size >= 1000 && i < DecimalUnits.Length - 1)
        {
            size /= 1000;
            i++;
        }
        return FormatG(size, precision) + DecimalUnits[i];
    }

    /// <summary>Go's <c>%.{p}g</c>: p significant digits, trailing zeros dropped, exponent as e+03.</summary>
    internal static string FormatG(double value, int precision)
    {
        var s = value.ToString("G" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var e = s.IndexOf('E');
        if (e < 0) return s;
        var mantissa = s[..e];
        var sign = s[e + 1];
        var exp = int.Parse(s.AsSpan(e + 2), CultureInfo.InvariantCulture);
        return $"{mantissa}e{sign}{exp:00}";
    }

    /// <summary>Go's <c>time.Time.String()</c> for a Unix time in local time: <c>2026-11-22 18:35:31 +0000 UTC</c>.</summary>
    public static string GoTime(DateTimeOffset t)
    {
        var local = t.ToLocalTime();
        var off = local.Offset;
        var sign = off < TimeSpan.Zero ? '-' : '+';
        var abs = off.Duration();
        var offset = $"{sign}{abs.Hours:00}{abs.Minutes:00}";
        var zone = off == TimeSpan.Zero ? "UTC" : offset;
        return local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " " + offset + " " + zone;
    }

    /// <summary>strconv.Quote for the printable text docker quotes (the COMMAND column).</summary>
    public static string GoQuote(string s)
    {
        var sb = new System.Text.StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ' or '\x7f': sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>docker's Ellipsis: cut to <paramref name="max"/> display columns, the last being "…".</summary>
    public static string Ellipsis(string s, int max)
    {
        if (max <= 0) return "";
        if (s.Length <= max) return s;
        if (max == 1) return s[..1];
        return s[..(max - 1)] + "…";
    }

    /// <summary>stringid.TruncateID: drop the algorithm prefix, keep 12 characters.</summary>
    public static string TruncateId(string id)
    {
        var colon = id.IndexOf(':');
        if (colon >= 0) id = id[(colon + 1)..];
        return id.Length > 12 ? id[..12] : id;
    }
}
