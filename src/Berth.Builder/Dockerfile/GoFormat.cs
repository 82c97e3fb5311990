using System.Globalization;
using System.Text;

namespace Berth.Builder.Dockerfile;

/// <summary>
/// Go's fmt verbs that leak into Docker's output: <c>%q</c> of strings and slices (parse-tree dumps, history lines such as
/// <c>CMD ["sh" "-c" "x"]</c>), <c>%v</c> of slices and durations. Matching them keeps history and cache keys identical to Docker's.
/// </summary>
public static class GoFormat
{
    /// <summary>strconv.Quote: printable runes stay, the rest become \a \b \f \n \r \t \v, \xNN, \uNNNN or \UNNNNNNNN.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (var rune in s.EnumerateRunes())
        {
            var v = rune.Value;
            switch (v)
            {
                case '"': sb.Append("\\\""); continue;
                case '\\': sb.Append("\\\\"); continue;
                case '\a': sb.Append("\\a"); continue;
                case '\b': sb.Append("\\b"); continue;
                case '\f': sb.Append("\\f"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
                case '\v': sb.Append("\\v"); continue;
            }
            if (IsPrint(rune)) sb.Append(rune.ToString());
            else if (v < ' ' || v == 0x7f) sb.Append("\\x").Append(v.ToString("x2", CultureInfo.InvariantCulture));
            else if (v < 0x10000) sb.Append("\\u").Append(v.ToString("x4", CultureInfo.InvariantCulture));
            else sb.Append("\\U").Append(v.ToString("x8", CultureInfo.InvariantCulture));
        }
        sb.Append('"');
        return sb.ToString();
    }

    /// <summary>
    /// <c>%q</c> of an integer: strconv.QuoteRune, a single-quoted character literal (<c>'\x02'</c> for 2, <c>'A'</c> for 65).
    /// Docker's HEALTHCHECK history line shows Retries this way.
    /// </summary>
    public static string QuoteRune(long value)
    {
        var v = value is < 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF) ? 0xFFFD : (int)value;
        var quoted = v == '\'' ? "\\'" : v == '"' ? "\"" : Quote(char.ConvertFromUtf32(v))[1..^1];
        return "'" + quoted + "'";
    }

    /// <summary><c>%q</c> of a []string: <c>["a" "b"]</c>.</summary>
    public static string QuoteSlice(IEnumerable<string> items) => "[" + string.Join(' ', items.Select(Quote)) + "]";

    /// <summary><c>%v</c> of a []string: <c>[a b]</c>.</summary>
    public static string Slice(IEnumerable<string> items) => "[" + string.Join(' ', items) + "]";

    /// <summary>time.Duration.String(): <c>0s</c>, <c>1.5s</c>, <c>1m30s</c>, <c>2h0m0s</c>, <c>300ms</c>.</summary>
    public static string Duration(long nanos)
    {
        if (nanos == 0) return "0s";
        var neg = nanos < 0;
        var u = (ulong)(neg ? -nanos : nanos);
        string text;
        if (u < 1_000_000_000UL)
        {
            // Sub-second values use the largest unit that keeps an integer part: ns, µs, ms.
            (ulong div, string unit) = u < 1_000UL ? (1UL, "ns") : u < 1_000_000UL ? (1_000UL, "µs") : (1_000_000UL, "ms");
            text = Fraction(u, div) + unit;
        }
        else
        {
            var hours = u / 3_600_000_000_000UL;
            var rest = u % 3_600_000_000_000UL;
            var minutes = rest / 60_000_000_000UL;
            var secondsNanos = rest % 60_000_000_000UL;
            var seconds = Fraction(secondsNanos, 1_000_000_000UL) + "s";
            text = hours > 0 ? $"{hours}h{minutes}m{seconds}" : minutes > 0 ? $"{minutes}m{seconds}" : seconds;
        }
        return neg ? "-" + text : text;
    }

    private static string Fraction(ulong value, ulong div)
    {
        var whole = value / div;
        var frac = value % div;
        if (frac == 0) return whole.ToString(CultureInfo.InvariantCulture);
        var digits = div.ToString(CultureInfo.InvariantCulture).Length - 1;
        return whole.ToString(CultureInfo.InvariantCulture) + "." + frac.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
    }

    /// <summary>unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    private static bool IsPrint(Rune r)
    {
        if (r.Value == ' ') return true;
        return Rune.GetUnicodeCategory(r) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter
                or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.ConnectorPunctuation
                or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol
                or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol => true,
            _ => false,
        };
    }
}
