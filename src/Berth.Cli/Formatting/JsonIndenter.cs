using System.Text;

namespace Berth.Cli.Formatting;

/// <summary>Go's json.Indent over raw bytes (4 spaces, as <c>docker inspect</c> prints): strings keep the daemon's
/// exact escapes; empty objects and arrays stay <c>{}</c> and <c>[]</c>.</summary>
internal static class JsonIndenter
{
    public static string IndentArray(IReadOnlyList<byte[]> items)
    {
        if (items.Count == 0) return "[]";
        var sb = new StringBuilder("[\n");
        for (var i = 0; i < items.Count; i++)
        {
            sb.Append("    ");
            Indent(sb, Encoding.UTF8.GetString(items[i]).Trim(), 1);
            sb.Append(i + 1 < items.Count ? ",\n" : "\n");
        }
        return sb.Append(']').ToString();
    }

    public static void Indent(StringBuilder sb, string json, int baseDepth)
    {
        var depth = baseDepth;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                sb.Append(c);
                if (c == '\\' && i + 1 < json.Length) sb.Append(json[++i]);
                else if (c == '"') inString = false;
                continue;
            }
            switch (c)
            {
                case ' ' or '\t' or '\n' or '\r':
                    break;
                case '"':
                    inString = true;
                    sb.Append(c);
                    break;
                case '{' or '[':
                    var close = c == '{' ? '}' : ']';
                    var j = i + 1;
                    while (j < json.Length && char.IsWhiteSpace(json[j])) j++;
                    if (j < json.Length && json[j] == close)
                    {
                        sb.Append(c).Append(close);
                        i = j;
                        break;
                    }
                    depth++;
                    sb.Append(c).Append('\n').Append(' ', depth * 4);
                    break;
                case '}' or ']':
                    depth--;
                    sb.Append('\n').Append(' ', depth * 4).Append(c);
                    break;
                case ',':
                    sb.Append(",\n").Append(' ', depth * 4);
                    break;
                case ':':
                    sb.Append(": ");
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
    }
}
