using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Cli.Templates;

/// <summary>
/// Compact JSON as Go's encoding/json writes it: no spaces, object keys in their given order (callers sort computed
/// rows, as Go does for maps), and <c>&lt; &gt; &amp;</c> escaped only when <paramref name="escapeHtml"/> (docker's
/// <c>json</c> function turns HTML escaping off, but a formatter row's own MarshalJSON leaves it on).
/// </summary>
internal static class GoJson
{
    public static string Serialize(object? value, bool escapeHtml)
    {
        var sb = new StringBuilder();
        Write(sb, value, escapeHtml);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, bool html)
    {
        switch (value)
        {
            case null or NoValue: sb.Append("null"); break;
            case string s: WriteString(sb, s, html); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case int i: sb.Append(i.ToString(CultureInfo.InvariantCulture)); break;
            case double d: sb.Append(d.ToString("R", CultureInfo.InvariantCulture)); break;
            case JsonNumber n: sb.Append(n.Text); break;
            case JsonObject o:
                sb.Append('{');
                var first = true;
                foreach (var kv in o)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    WriteString(sb, kv.Key, html);
                    sb.Append(':');
                    Write(sb, TemplateValues.FromNode(kv.Value), html);
                }
                sb.Append('}');
                break;
            case JsonArray a:
                sb.Append('[');
                for (var k = 0; k < a.Count; k++)
                {
                    if (k > 0) sb.Append(',');
                    Write(sb, TemplateValues.FromNode(a[k]), html);
                }
                sb.Append(']');
                break;
            case List<object?> list:
                sb.Append('[');
                for (var k = 0; k < list.Count; k++)
                {
                    if (k > 0) sb.Append(',');
                    Write(sb, list[k], html);
                }
                sb.Append(']');
                break;
            case JsonNode node: sb.Append(node.ToJsonString()); break;
            default: WriteString(sb, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", html); break;
        }
    }

    public static void WriteString(StringBuilder sb, string s, bool html)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<' or '>' or '&' when html: sb.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                case '\u2028': sb.Append("\\u2028"); break;
                case '\u2029': sb.Append("\\u2029"); break;
                default:
                    if (c < 0x20) sb.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
