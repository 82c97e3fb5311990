using System.Globalization;
using System.Text;

namespace Berth.Cli.Templates;

/// <summary>The subset of Go's fmt.Sprintf that formats use: %v %s %d %q %t %f %x %X %%, flags '-' and '0', width and
/// precision.</summary>
internal static class GoFormat
{
    public static string Sprintf(string format, object?[] args)
    {
        var sb = new StringBuilder();
        var argi = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '%') { sb.Append(c); continue; }
            if (++i >= format.Length) { sb.Append("%!(NOVERB)"); break; }
            var left = false;
            var zero = false;
            for (; i < format.Length && format[i] is '-' or '0' or '+' or ' ' or '#'; i++)
            {
                if (format[i] == '-') left = true;
                if (format[i] == '0') zero = true;
            }
            var width = ReadInt(format, ref i);
            int? prec = null;
            if (i < format.Length && format[i] == '.') { i++; prec = ReadInt(format, ref i) ?? 0; }
            if (i >= format.Length) { sb.Append("%!(NOVERB)"); break; }
            var verb = format[i];
            if (verb == '%') { sb.Append('%'); continue; }
            if (argi >= args.Length) { sb.Append("%!").Append(verb).Append("(MISSING)"); continue; }
            var s = FormatOne(verb, args[argi++], prec);
            if (width is { } w && s.Length < w)
            {
                var pad = new string(zero && !left ? '0' : ' ', w - s.Length);
                s = left ? s + pad : pad + s;
            }
            sb.Append(s);
        }
        if (argi < args.Length)
        {
            sb.Append("%!(EXTRA ");
            sb.Append(string.Join(", ", args[argi..].Select(a => TemplateValues.TypeName(a) + "=" + TemplateValues.Print(a))));
            sb.Append(')');
        }
        return sb.ToString();
    }

    private static string FormatOne(char verb, object? arg, int? prec)
    {
        switch (verb)
        {
            case 'v' or 's':
                var s = TemplateValues.Print(arg, topLevel: false);
                return prec is { } p && p < s.Length ? s[..p] : s;
            case 'q':
                var q = new StringBuilder();
                GoJson.WriteString(q, TemplateValues.Print(arg, topLevel: false), html: false);
                return q.ToString();
            case 'd':
                return TemplateValues.TryGetInt(arg, out var l) ? l.ToString(CultureInfo.InvariantCulture) : $"%!d({TemplateValues.TypeName(arg)}={TemplateValues.Print(arg)})";
            case 't':
                return arg is bool b ? (b ? "true" : "false") : $"%!t({TemplateValues.TypeName(arg)}={TemplateValues.Print(arg)})";
            case 'f' or 'F':
                return TemplateValues.TryGetNumber(arg, out var d) ? d.ToString("F" + (prec ?? 6).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
                    : $"%!f({TemplateValues.TypeName(arg)}={TemplateValues.Print(arg)})";
            case 'x' or 'X':
                var hex = TemplateValues.TryGetInt(arg, out var h) ? h.ToString("x", CultureInfo.InvariantCulture)
                    : Convert.ToHexString(Encoding.UTF8.GetBytes(TemplateValues.Print(arg))).ToLowerInvariant();
                return verb == 'X' ? hex.ToUpperInvariant() : hex;
            default:
                return $"%!{verb}({TemplateValues.TypeName(arg)}={TemplateValues.Print(arg)})";
        }
    }

    private static int? ReadInt(string s, ref int i)
    {
        var start = i;
        while (i < s.Length && char.IsDigit(s[i])) i++;
        return i > start ? int.Parse(s.AsSpan(start, i - start), CultureInfo.InvariantCulture) : null;
    }
}
