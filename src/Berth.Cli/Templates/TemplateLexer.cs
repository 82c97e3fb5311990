using System.Text;

namespace Berth.Cli.Templates;

/// <summary>
/// Splits a Go text/template source into tokens: text runs, and inside <c>{{ }}</c> the operands of an action.
/// Trim markers (<c>{{- </c> and <c> -}}</c>, which need the space) cut the whitespace around the action, as Go does.
/// </summary>
internal static class TemplateLexer
{
    public static List<Token> Lex(string src)
    {
        var tokens = new List<Token>();
        var i = 0;
        var trimNextText = false;
        while (i < src.Length)
        {
            var open = src.IndexOf("{{", i, StringComparison.Ordinal);
            var textEnd = open < 0 ? src.Length : open;
            var trimLeft = open >= 0 && open + 3 < src.Length && src[open + 2] == '-' && IsSpace(src[open + 3]);
            var text = src[i..textEnd];
            if (trimNextText) text = text.TrimStart(' ', '\t', '\r', '\n');
            if (trimLeft) text = text.TrimEnd(' ', '\t', '\r', '\n');
            if (text.Length > 0) tokens.Add(new Token(TokenKind.Text, text, i));
            trimNextText = false;
            if (open < 0) break;

            var p = open + 2;
            if (trimLeft) p += 2;
            // Comments: {{/* ... */}}, possibly with trim markers.
            var q = p;
            while (q < src.Length && IsSpace(src[q])) q++;
            if (src.AsSpan(q).StartsWith("/*"))
            {
                var endComment = src.IndexOf("*/", q + 2, StringComparison.Ordinal);
                if (endComment < 0) throw new TemplateException($"template: :{Line(src, open)}: unclosed comment");
                var after = endComment + 2;
                while (after < src.Length && IsSpace(src[after])) after++;
                if (src.AsSpan(after).StartsWith("-}}")) { trimNextText = true; after += 3; }
                else if (src.AsSpan(after).StartsWith("}}")) after += 2;
                else throw new TemplateException($"template: :{Line(src, open)}: comment ends before closing delimiter");
                i = after;
                continue;
            }
            tokens.Add(new Token(TokenKind.LeftDelim, "{{", open));
            i = LexInside(src, p, tokens, out trimNextText);
        }
        tokens.Add(new Token(TokenKind.Eof, "", src.Length));
        return tokens;
    }

    private static int LexInside(string src, int p, List<Token> tokens, out bool trimRight)
    {
        var parenDepth = 0;
        while (true)
        {
            if (p >= src.Length) throw new TemplateException($"template: :{Line(src, p)}: unclosed action");
            var c = src[p];
            if (IsSpace(c))
            {
                if (src.AsSpan(p + 1).StartsWith("-}}"))
                {
                    tokens.Add(new Token(TokenKind.RightDelim, "}}", p + 2));
                    trimRight = true;
                    return p + 4;
                }
                p++;
                continue;
            }
            if (src.AsSpan(p).StartsWith("}}"))
            {
                if (parenDepth > 0) throw new TemplateException($"template: :{Line(src, p)}: unclosed left paren");
                tokens.Add(new Token(TokenKind.RightDelim, "}}", p));
                trimRight = false;
                return p + 2;
            }
            var start = p;
            switch (c)
            {
                case '|': tokens.Add(new Token(TokenKind.Pipe, "|", p)); p++; continue;
                case '(': parenDepth++; tokens.Add(new Token(TokenKind.LeftParen, "(", p)); p++; continue;
                case ')':
                    if (--parenDepth < 0) throw new TemplateException($"template: :{Line(src, p)}: unexpected right paren");
                    tokens.Add(new Token(TokenKind.RightParen, ")", p)); p++; continue;
                case ',': tokens.Add(new Token(TokenKind.Comma, ",", p)); p++; continue;
                case '=': tokens.Add(new Token(TokenKind.Assign, "=", p)); p++; continue;
                case ':':
                    if (p + 1 < src.Length && src[p + 1] == '=') { tokens.Add(new Token(TokenKind.Declare, ":=", p)); p += 2; continue; }
                    throw new TemplateException($"template: :{Line(src, p)}: expected :=");
                case '"': p = LexQuote(src, p, tokens); continue;
                case '`':
                    var close = src.IndexOf('`', p + 1);
                    if (close < 0) throw new TemplateException($"template: :{Line(src, p)}: unterminated raw quoted string");
                    tokens.Add(new Token(TokenKind.String, src[(p + 1)..close], p));
                    p = close + 1;
                    continue;
                case '\'':
                    var endChar = src.IndexOf('\'', p + 1);
                    if (endChar < 0) throw new TemplateException($"template: :{Line(src, p)}: unterminated character constant");
                    var chars = Unescape(src[(p + 1)..endChar]);
                    tokens.Add(new Token(TokenKind.Number, ((int)chars[0]).ToString(System.Globalization.CultureInfo.InvariantCulture), p));
                    p = endChar + 1;
                    continue;
                case '$':
                    p++;
                    while (p < src.Length && IsAlnum(src[p])) p++;
                    tokens.Add(new Token(TokenKind.Variable, src[start..p], start));
                    continue;
                case '.':
                    if (p + 1 < src.Length && char.IsDigit(src[p + 1])) break;
                    p++;
                    if (p < src.Length && IsAlnum(src[p]))
                    {
                        while (p < src.Length && IsAlnum(src[p])) p++;
                        tokens.Add(new Token(TokenKind.Field, src[(start + 1)..p], start));
                    }
                    else tokens.Add(new Token(TokenKind.Dot, ".", start));
                    continue;
            }
            if (char.IsDigit(c) || ((c == '-' || c == '+' || c == '.') && p + 1 < src.Length && (char.IsDigit(src[p + 1]) || src[p + 1] == '.')))
            {
                p++;
                while (p < src.Length && (char.IsLetterOrDigit(src[p]) || src[p] == '.' || src[p] == '_' ||
                       ((src[p] == '-' || src[p] == '+') && (src[p - 1] == 'e' || src[p - 1] == 'E')))) p++;
                tokens.Add(new Token(TokenKind.Number, src[start..p], start));
                continue;
            }
            if (IsAlnum(c))
            {
                while (p < src.Length && IsAlnum(src[p])) p++;
                tokens.Add(new Token(TokenKind.Identifier, src[start..p], start));
                continue;
            }
            throw new TemplateException($"template: :{Line(src, p)}: unexpected \"{c}\" in command");
        }
    }

    private static int LexQuote(string src, int p, List<Token> tokens)
    {
        var q = p + 1;
        while (q < src.Length && src[q] != '"')
        {
            if (src[q] == '\\') q++;
            if (q < src.Length && src[q] == '\n') break;
            q++;
        }
        if (q >= src.Length || src[q] != '"') throw new TemplateException($"template: :{Line(src, p)}: unterminated quoted string");
        tokens.Add(new Token(TokenKind.String, Unescape(src[(p + 1)..q]), p));
        return q + 1;
    }

    private static string Unescape(string s)
    {
        if (!s.Contains('\\')) return s;
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\' || i + 1 >= s.Length) { sb.Append(s[i]); continue; }
            var e = s[++i];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case 'x' when i + 2 < s.Length:
                    sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 2), 16)); i += 2; break;
                case 'u' when i + 4 < s.Length:
                    sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 4), 16)); i += 4; break;
                default: sb.Append(e); break;
            }
        }
        return sb.ToString();
    }

    internal static int Line(string src, int pos) => 1 + src.AsSpan(0, Math.Min(pos, src.Length)).Count('\n');

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsAlnum(char c) => c == '_' || char.IsLetterOrDigit(c);
}
