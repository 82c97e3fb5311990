using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Cli.Templates;

/// <summary>
/// The value model of the engine: <c>null</c> (Go nil), <see cref="NoValue"/>, string, bool, long, double,
/// <see cref="JsonNumber"/>, <see cref="JsonObject"/>, <see cref="JsonArray"/> and <c>List&lt;object?&gt;</c> (results of
/// <c>split</c>). Printing follows Go's <c>fmt.Print</c> of the values docker's raw-JSON fallback decodes to.
/// </summary>
internal static class TemplateValues
{
    public static object? FromNode(JsonNode? node)
    {
        switch (node)
        {
            case null: return null;
            case JsonObject or JsonArray: return node;
            case JsonValue v:
                if (v.TryGetValue<string>(out var s)) return s;
                if (v.TryGetValue<bool>(out var b)) return b;
                if (v.TryGetValue<JsonElement>(out var e))
                {
                    return e.ValueKind switch
                    {
                        JsonValueKind.String => e.GetString(),
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        JsonValueKind.Number => new JsonNumber(e.GetRawText()),
                        JsonValueKind.Null => null,
                        _ => node,
                    };
                }
                if (v.TryGetValue<long>(out var l)) return l;
                if (v.TryGetValue<int>(out var i)) return (long)i;
                if (v.TryGetValue<double>(out var d)) return d;
                return v.ToJsonString();
            default: return node;
        }
    }

    /// <summary>Go's fmt.Sprint of one value. At top level a nil prints <c>&lt;no value&gt;</c> (what docker's map fallback
    /// shows for <c>{{.Config.Cmd}}</c>); inside a map or slice it is <c>&lt;nil&gt;</c>.</summary>
    public static string Print(object? value, bool topLevel = true)
    {
        var sb = new StringBuilder();
        Print(sb, value, topLevel);
        return sb.ToString();
    }

    private static void Print(StringBuilder sb, object? value, bool topLevel)
    {
        switch (value)
        {
            case null: sb.Append(topLevel ? "<no value>" : "<nil>"); break;
            case NoValue: sb.Append("<no value>"); break;
            case string s: sb.Append(s); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case int i: sb.Append(i.ToString(CultureInfo.InvariantCulture)); break;
            case double d: sb.Append(FormatFloat(d)); break;
            case JsonNumber n: sb.Append(n.Text); break;
            case JsonObject o:
                sb.Append("map[");
                var first = true;
                foreach (var kv in o.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(' ');
                    first = false;
                    sb.Append(kv.Key).Append(':');
                    Print(sb, FromNode(kv.Value), false);
                }
                sb.Append(']');
                break;
            case JsonArray a:
                sb.Append('[');
                for (var k = 0; k < a.Count; k++)
                {
                    if (k > 0) sb.Append(' ');
                    Print(sb, FromNode(a[k]), false);
                }
                sb.Append(']');
                break;
            case List<object?> list:
                sb.Append('[');
                for (var k = 0; k < list.Count; k++)
                {
                    if (k > 0) sb.Append(' ');
                    Print(sb, list[k], false);
                }
                sb.Append(']');
                break;
            case JsonNode node: sb.Append(node.ToJsonString()); break;
            default: sb.Append(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    /// <summary>Go's %v for float64 (strconv 'g', shortest): exponent form when the decimal exponent is &lt; -4 or &gt;= 6,
    /// so 1000000.0 prints <c>1e+06</c>.</summary>
    public static string FormatFloat(double d)
    {
        if (double.IsPositiveInfinity(d)) return "+Inf";
        if (double.IsNegativeInfinity(d)) return "-Inf";
        if (double.IsNaN(d)) return "NaN";
        if (d == 0) return "0";
        // Shortest round-trip digits, then Go's layout rules.
        var r = Math.Abs(d).ToString("E16", CultureInfo.InvariantCulture);
        var shortest = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        var digits = new string([.. shortest.TakeWhile(c => c != 'E').Where(char.IsDigit)]).TrimStart('0');
        var exp = int.Parse(r[(r.IndexOf('E') + 1)..], CultureInfo.InvariantCulture);
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        var sign = d < 0 ? "-" : "";
        if (exp < -4 || exp >= 6)
        {
            var mant = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
            return $"{sign}{mant}e{(exp < 0 ? '-' : '+')}{Math.Abs(exp):00}";
        }
        if (exp < 0) return sign + "0." + new string('0', -exp - 1) + digits;
        if (digits.Length <= exp + 1) return sign + digits + new string('0', exp + 1 - digits.Length);
        return sign + digits[..(exp + 1)] + "." + digits[(exp + 1)..];
    }

    /// <summary>Go's template truth: false, 0, nil, and empty strings, slices and maps are false.</summary>
    public static bool IsTrue(object? value) => value switch
    {
        null or NoValue => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        int i => i != 0,
        double d => d != 0,
        JsonNumber n => n.ToDouble() != 0,
        JsonObject o => o.Count > 0,
        JsonArray a => a.Count > 0,
        List<object?> list => list.Count > 0,
        _ => true,
    };

    public static bool TryGetNumber(object? value, out double d)
    {
        switch (value)
        {
            case long l: d = l; return true;
            case int i: d = i; return true;
            case double x: d = x; return true;
            case JsonNumber n: d = n.ToDouble(); return true;
            default: d = 0; return false;
        }
    }

    public static bool TryGetInt(object? value, out long l)
    {
        switch (value)
        {
            case long x: l = x; return true;
            case int i: l = i; return true;
            case JsonNumber n when n.TryGetInt64(out l): return true;
            case double d when d == Math.Floor(d): l = (long)d; return true;
            default: l = 0; return false;
        }
    }

    /// <summary>Items of a list-like value, or null when it is not one.</summary>
    public static List<object?>? AsList(object? value) => value switch
    {
        JsonArray a => [.. a.Select(FromNode)],
        List<object?> l => l,
        _ => null,
    };

    public static string TypeName(object? value) => value switch
    {
        null => "<nil>",
        string => "string",
        bool => "bool",
        long or int => "int",
        double => "float64",
        JsonNumber => "json.Number",
        JsonObject => "map[string]interface {}",
        JsonArray => "[]interface {}",
        List<object?> => "[]string",
        _ => value.GetType().Name,
    };
}
