namespace Berth.Distribution.Auth;

/// <summary>A parsed <c>WWW-Authenticate</c> challenge: scheme (<c>Bearer</c>, <c>Basic</c>) and its parameters (realm, service, scope).</summary>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public string? this[string name] => Parameters.TryGetValue(name, out var v) ? v : null;

    /// <summary>Parses one header value, e.g. <c>Bearer realm="https://auth/token",service="registry",scope="repository:a:pull"</c>.</summary>
    public static AuthChallenge? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        var s = header.Trim();
        var sp = s.IndexOf(' ', StringComparison.Ordinal);
        var scheme = sp < 0 ? s : s[..sp];
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = sp < 0 ? s.Length : sp + 1;
        while (i < s.Length)
        {
            while (i < s.Length && (s[i] == ' ' || s[i] == ',')) i++;
            var eq = s.IndexOf('=', i);
            if (eq < 0) break;
            var key = s[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < s.Length && s[i] == '"')
            {
                var sb = new System.Text.StringBuilder();
                i++;
                while (i < s.Length && s[i] != '"')
                {
                    if (s[i] == '\\' && i + 1 < s.Length) i++;
                    sb.Append(s[i++]);
                }
                i++;
                value = sb.ToString();
            }
            else
            {
                var end = s.IndexOf(',', i);
                if (end < 0) end = s.Length;
                value = s[i..end].Trim();
                i = end;
            }
            parameters[key] = value;
        }
        return new AuthChallenge(scheme, parameters);
    }
}
