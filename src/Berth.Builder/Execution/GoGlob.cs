using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Builder.Execution;

/// <summary>Go's filepath.Match for COPY/ADD sources: <c>*</c> and <c>?</c> stay within one path element, <c>[…]</c> classes with <c>^</c>.</summary>
internal static class GoGlob
{
    public static bool HasWildcards(string path)
    {
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '\\') i++;
            else if (path[i] is '*' or '?' or '[') return true;
        }
        return false;
    }

    public static Regex Compile(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*': sb.Append("[^/]*"); break;
                case '?': sb.Append("[^/]"); break;
                case '\\':
                    if (++i >= pattern.Length) throw new ArgumentException($"syntax error in pattern: {pattern}");
                    sb.Append(Regex.Escape(pattern[i].ToString()));
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0) throw new ArgumentException($"syntax error in pattern: {pattern}");
                    var body = pattern[(i + 1)..end];
                    sb.Append('[').Append(body.StartsWith('^') ? "^" + body[1..].Replace("\\", "\\\\", StringComparison.Ordinal) : body.Replace("\\", "\\\\", StringComparison.Ordinal)).Append(']');
                    i = end;
                    break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
