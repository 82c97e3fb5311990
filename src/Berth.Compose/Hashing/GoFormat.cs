using System.Globalization;
using System.Text;

namespace Berth.Compose.Hashing;

/// <summary>Go's text forms of the values Compose's types marshal: <c>time.Duration.String()</c> and float32 numbers.</summary>
internal static class GoFormat
{
    /// <summary>
    /// <c>time.Duration.String()</c>: "0s", "250ms", "1.5µs", "90ns", "10s", "1m30s", "1h0m0s" (compose-go's Duration
    /// MarshalJSON writes this string). TimeSpan's 100 ns resolution is finer than any Compose duration needs.
    /// </summary>
    public static string Duration(TimeSpan span)
    {
        var ns = span.Ticks * 100;
        if (ns == 0) return "0s";
        var neg = ns < 0;
        var u = neg ? (ulong)(-ns) : (ulong)ns;
        var sb = new StringBuilder();
        if (u < 1_000_000_000)
        {
            if (u < 1_000) sb.Append(u.ToString(CultureInfo.InvariantCulture)).Append("ns");
            else if (u < 1_000_000) sb.Append(Fraction(u, 3)).Append("\u00b5s");
            else sb.Append(Fraction(u, 6)).Append("ms");
        }
        else
        {
            var seconds = u / 1_000_000_000;
            var frac = u % 1_000_000_000;
            var s = (seconds % 60).ToString(CultureInfo.InvariantCulture) + FractionDigits(frac, 9) + "s";
            var minutes = seconds / 60;
            if (minutes > 0)
            {
                s = (minutes % 60).ToString(CultureInfo.InvariantCulture) + "m" + s;
                var hours = minutes / 60;
                if (hours > 0) s = hours.ToString(CultureInfo.InvariantCulture) + "h" + s;
            }
            sb.Append(s);
        }
        return neg ? "-" + sb : sb.ToString();
    }

    private static string Fraction(ulong v, int prec)
    {
        ulong pow = 1;
        for (var i = 0; i < prec; i++) pow *= 10;
        return (v / pow).ToString(CultureInfo.InvariantCulture) + FractionDigits(v % pow, prec);
    }

    /// <summary>".5" for 500000000 at precision 9; "" when the fraction is zero (Go's fmtFrac drops trailing zeros).</summary>
    private static string FractionDigits(ulong frac, int prec)
    {
        if (frac == 0) return "";
        return "." + frac.ToString(CultureInfo.InvariantCulture).PadLeft(prec, '0').TrimEnd('0');
    }

    /// <summary>
    /// A float32 as encoding/json writes it: the shortest digits that read back to the same float32, in plain notation
    /// for 1e-6 ≤ |v| &lt; 1e21 and otherwise in exponent form with at least two exponent digits trimmed to one ("1e-7").
    /// </summary>
    public static string Float32(float value)
    {
        if (float.IsNaN(value) || float.IsInfinity(value)) throw new ArgumentOutOfRangeException(nameof(value), "Go cannot marshal NaN or infinity");
        var abs = Math.Abs(value);
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var exponent = abs != 0 && (abs < 1e-6f || abs >= 1e21f);
        var (digits, point, negative) = Decompose(r);
        if (!exponent)
        {
            string plain;
            if (point <= 0) plain = "0." + new string('0', -point) + digits;
            else if (point >= digits.Length) plain = digits + new string('0', point - digits.Length);
            else plain = digits[..point] + "." + digits[point..];
            return (negative ? "-" : "") + plain;
        }
        var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
        var e = point - 1;
        var exp = (e < 0 ? "-" : "+") + Math.Abs(e).ToString("00", CultureInfo.InvariantCulture);
        // Go's encoder turns e-07 into e-7 (and only negative two-digit exponents with a leading zero).
        if (exp.Length == 3 && exp[0] == '-' && exp[1] == '0') exp = "-" + exp[2];
        return (negative ? "-" : "") + mantissa + "e" + exp;
    }

    /// <summary>Significant digits (no leading/trailing zeros) and the decimal point's position relative to them.</summary>
    private static (string Digits, int Point, bool Negative) Decompose(string r)
    {
        var negative = r.StartsWith('-');
        if (negative) r = r[1..];
        var exp = 0;
        var e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exp = int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..e];
        }
        var dot = r.IndexOf('.');
        var intPart = dot >= 0 ? r[..dot] : r;
        var fracPart = dot >= 0 ? r[(dot + 1)..] : "";
        var all = intPart + fracPart;
        var point = intPart.Length + exp;
        var lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0') lead++;
        all = all[lead..];
        point -= lead;
        all = all.TrimEnd('0');
        if (all.Length == 0) return ("0", 1, negative);
        return (all, point, negative);
    }
}
