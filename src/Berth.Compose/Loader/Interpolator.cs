using System.Text;

namespace Berth.Compose.Loader;

/// <summary>
/// Compose variable substitution: $$, $VAR, ${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:?e}, ${VAR?e}, ${VAR:+r}, ${VAR+r},
/// with nested templates in the default/replacement/error text (compose-go template package semantics).
/// </summary>
internal static class Interpolator
{
    public delegate bool Lookup(string name, out string value);

    /// <param name="missing">Called with each variable that was used unset without a default (docker warns about these).</param>
    public static string Substitute(string template, Lookup lookup, Action<string>? missing = null)
    {
        if (!template.Contains('$')) return template;
        var sb = new StringBuilder(template.Length);
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if (c != '$') { sb.Append(c); i++; continue; }
            if (i + 1 >= template.Length) throw Invalid(template);
            var next = template[i + 1];
            if (next == '$') { sb.Append('$'); i += 2; continue; }
            if (IsNameStart(next))
            {
                var end = i + 1;
                while (end < template.Length && IsNameChar(template[end])) end++;
                var name = template[(i + 1)..end];
                sb.Append(Resolve(name, lookup, missing));
                i = end;
                continue;
            }
            if (next != '{') throw Invalid(template);
            var close = FindClosingBrace(template, i + 1);
            if (close < 0) throw Invalid(template);
            sb.Append(Braced(template[(i + 2)..close], template, lookup, missing));
            i = close + 1;
        }
        return sb.ToString();
    }

    private static string Braced(string body, string template, Lookup lookup, Action<string>? missing)
    {
        var n = 0;
        if (n >= body.Length || !IsNameStart(body[0])) throw Invalid(template);
        while (n < body.Length && IsNameChar(body[n])) n++;
        var name = body[..n];
        if (n == body.Length) return Resolve(name, lookup, missing);
        var colon = body[n] == ':';
        var opAt = colon ? n + 1 : n;
        if (opAt >= body.Length || body[opAt] is not ('-' or '+' or '?')) throw Invalid(template);
        var op = body[opAt];
        var arg = body[(opAt + 1)..];
        var set = lookup(name, out var value);
        var present = set && (!colon || value.Length > 0);
        switch (op)
        {
            case '-':
                return present ? value : Substitute(arg, lookup, missing);
            case '+':
                return present ? Substitute(arg, lookup, missing) : (set ? value : "");
            default:
                if (present) return value;
                var reason = Substitute(arg, lookup, missing);
                throw new InterpolationException(reason.Length > 0
                    ? $"required variable {name} is missing a value: {reason}"
                    : $"required variable {name} is missing a value");
        }
    }

    private static string Resolve(string name, Lookup lookup, Action<string>? missing)
    {
        if (lookup(name, out var value)) return value;
        missing?.Invoke(name);
        return "";
    }

    /// <summary>Index of the '}' closing the '{' at <paramref name="open"/>, counting nested "${".</summary>
    private static int FindClosingBrace(string s, int open)
    {
        var depth = 0;
        for (var i = open; i < s.Length; i++)
        {
            if (s[i] == '{') depth++;
            else if (s[i] == '}' && --depth == 0) return i;
        }
        return -1;
    }

    private static bool IsNameStart(char c) => c == '_' || char.IsAsciiLetter(c);
    private static bool IsNameChar(char c) => c == '_' || char.IsAsciiLetterOrDigit(c);

    private static InterpolationException Invalid(string template)
        => new($"invalid interpolation format: \"{template}\". You may need to escape any $ with another $");
}
