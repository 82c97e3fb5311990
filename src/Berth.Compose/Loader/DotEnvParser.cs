using System.Text;

namespace Berth.Compose.Loader;

/// <summary>
/// Parses .env / env_file content as docker compose does: KEY=VAL, "export KEY=VAL", KEY: VAL, # comments,
/// single quotes literal, double quotes with escapes and ${} expansion, unquoted values trimmed with " #" comments cut,
/// a bare KEY taken from the lookup when set. Values can refer to the lookup and to keys defined earlier in the file.
/// </summary>
internal static class DotEnvParser
{
    public static List<KeyValuePair<string, string>> Parse(string text, string file, Interpolator.Lookup? lookup)
    {
        var result = new List<KeyValuePair<string, string>>();
        var own = new Dictionary<string, string>(StringComparer.Ordinal);
        bool Resolve(string name, out string value)
        {
            if (lookup is not null && lookup(name, out value)) return true;
            return own.TryGetValue(name, out value!);
        }
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var pos = 0;
        var line = 1;
        while (pos < text.Length)
        {
            // Skip whitespace and comment lines.
            while (pos < text.Length && char.IsWhiteSpace(text[pos])) { if (text[pos] == '\n') line++; pos++; }
            if (pos >= text.Length) break;
            if (text[pos] == '#')
            {
                while (pos < text.Length && text[pos] != '\n') pos++;
                continue;
            }
            if (text.AsSpan(pos).StartsWith("export") && pos + 6 < text.Length && text[pos + 6] is ' ' or '\t')
            {
                pos += 6;
                while (pos < text.Length && text[pos] is ' ' or '\t') pos++;
            }
            var keyStart = pos;
            var inherited = false;
            while (true)
            {
                if (pos >= text.Length) { inherited = true; break; }
                var c = text[pos];
                if (c is '=' or ':') break;
                if (c == '\n') { inherited = true; break; }
                if (c is ' ' or '\t' or '_' or '.' or '-' or '[' or ']' || char.IsLetterOrDigit(c)) { pos++; continue; }
                var lineText = text[keyStart..].Split('\n')[0];
                throw new ComposeException($"{file}: line {line}: unexpected character \"{c}\" in variable name \"{lineText}\"");
            }
            var key = text[keyStart..pos].TrimEnd();
            if (key.Contains(' ', StringComparison.Ordinal) || key.Contains('\t', StringComparison.Ordinal))
                throw new ComposeException($"{file}: line {line}: key cannot contain a space");
            if (key.Length == 0) throw new ComposeException($"{file}: line {line}: empty variable name");
            if (inherited)
            {
                if (lookup is not null && lookup(key, out var inheritedValue)) Add(result, own, key, inheritedValue);
                continue;
            }
            pos++; // '=' or ':'
            while (pos < text.Length && text[pos] is ' ' or '\t') pos++;
            string value;
            if (pos < text.Length && text[pos] is '"' or '\'')
            {
                var quote = text[pos];
                var sb = new StringBuilder();
                var escape = false;
                var i = pos + 1;
                for (; i < text.Length; i++)
                {
                    var c = text[i];
                    if (c == '\n') line++;
                    if (c != quote)
                    {
                        if (!escape && c == '\\') { escape = true; continue; }
                        if (escape) { escape = false; sb.Append('\\'); }
                        sb.Append(c);
                        continue;
                    }
                    if (escape) { escape = false; sb.Append(c); continue; }
                    break;
                }
                if (i >= text.Length)
                    throw new ComposeException($"{file}: line {line}: unterminated quoted value {text[pos..].Split('\n')[0]}");
                value = sb.ToString();
                if (quote == '"') value = Expand(ExpandEscapes(value), Resolve, file, line);
                pos = i + 1;
                // Ignore the rest of the line after the closing quote (a trailing comment).
                while (pos < text.Length && text[pos] != '\n') pos++;
            }
            else
            {
                var end = text.IndexOf('\n', pos);
                if (end < 0) end = text.Length;
                var raw = text[pos..end];
                var comment = raw.IndexOf(" #", StringComparison.Ordinal);
                if (comment >= 0) raw = raw[..comment];
                value = Expand(raw.TrimEnd(), Resolve, file, line);
                pos = end;
            }
            Add(result, own, key, value);
        }
        return result;
    }

    private static void Add(List<KeyValuePair<string, string>> result, Dictionary<string, string> own, string key, string value)
    {
        result.RemoveAll(kv => kv.Key == key);
        result.Add(new(key, value));
        own[key] = value;
    }

    private static string Expand(string value, Interpolator.Lookup lookup, string file, int line)
    {
        try
        {
            return Interpolator.Substitute(value, lookup);
        }
        catch (InterpolationException ex)
        {
            throw new ComposeException($"{file}: line {line}: {ex.Message}");
        }
    }

    private static string ExpandEscapes(string s)
    {
        if (!s.Contains('\\', StringComparison.Ordinal)) return s;
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\' || i + 1 >= s.Length) { sb.Append(s[i]); continue; }
            var n = s[++i];
            sb.Append(n switch
            {
                'n' => "\n", 't' => "\t", 'r' => "\r", 'a' => "\a", 'b' => "\b", 'f' => "\f", 'v' => "\v",
                '"' => "\"", '\\' => "\\", '$' => "$$", '0' => "\0",
                _ => "\\" + n,
            });
        }
        return sb.ToString();
    }
}
