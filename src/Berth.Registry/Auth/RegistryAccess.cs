using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Api.Http;

namespace Berth.Registry.Auth;

/// <summary>
/// Who may do what: everyone (no htpasswd), htpasswd users with Basic auth, or htpasswd users through Docker's token flow
/// (a Bearer challenge naming <c>/token</c> on this server, which issues short-lived tokens for the scopes asked).
/// </summary>
internal sealed class RegistryAccess
{
    public const string Service = "berth-registry";
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(5);
    private readonly RegistryServerOptions _options;
    private readonly Htpasswd? _users;
    private readonly ConcurrentDictionary<string, Grant> _tokens = new(StringComparer.Ordinal);

    public RegistryAccess(RegistryServerOptions options)
    {
        _options = options;
        _users = options.HtpasswdPath is null ? null : new Htpasswd(options.HtpasswdPath);
    }

    public bool TokenMode => _users is not null && _options.TokenAuth;

    /// <summary>Null when allowed; otherwise the WWW-Authenticate challenge to send with a 401.</summary>
    public string? Check(HttpRequest request, string? repository, bool push)
    {
        if (_users is null) return null;
        var header = request.Headers.Get("Authorization") ?? "";
        if (!TokenMode)
        {
            if (TryBasic(header, out var user, out var password) && _users.Check(user, password)) return null;
            return $"Basic realm=\"{_options.Realm}\"";
        }
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && _tokens.TryGetValue(header[7..].Trim(), out var grant)
            && grant.Expires > DateTimeOffset.UtcNow && (repository is null || grant.Allows(repository, push ? "push" : "pull")))
            return null;
        var scope = repository is null ? "" : $",scope=\"repository:{repository}:{(push ? "pull,push" : "pull")}\"";
        var host = request.Headers.Get("Host") ?? "127.0.0.1";
        return $"Bearer realm=\"{(_options.Tls ? "https" : "http")}://{host}/token\",service=\"{Service}\"{scope}";
    }

    /// <summary>
    /// The v1 search: dockerd sends the user's Basic credentials with it whatever the registry's challenge, so an htpasswd user is
    /// let in by Basic in either mode (and by a live token in token mode). Null when allowed, else a Basic challenge.
    /// </summary>
    public string? CheckSearch(HttpRequest request)
    {
        if (_users is null) return null;
        var header = request.Headers.Get("Authorization") ?? "";
        if (TryBasic(header, out var user, out var password) && _users.Check(user, password)) return null;
        if (TokenMode && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && _tokens.TryGetValue(header[7..].Trim(), out var grant)
            && grant.Expires > DateTimeOffset.UtcNow) return null;
        return $"Basic realm=\"{_options.Realm}\"";
    }

    /// <summary><c>GET /token?service=…&amp;scope=…</c>: a token for an htpasswd user (Basic), for every scope asked.</summary>
    public async Task IssueTokenAsync(HttpContext ctx)
    {
        if (_users is null || !TryBasic(ctx.Request.Headers.Get("Authorization") ?? "", out var user, out var password) || !_users.Check(user, password))
        {
            ctx.Response.Headers.Set("WWW-Authenticate", $"Basic realm=\"{_options.Realm}\"");
            await ctx.Response.WriteTextAsync("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}\n", "application/json", 401, ctx.Aborted).ConfigureAwait(false);
            return;
        }
        var grant = new Grant(DateTimeOffset.UtcNow + TokenLifetime);
        foreach (var scope in ctx.Request.Query.GetAll("scope").SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            var parts = scope.Split(':');
            if (parts.Length == 3 && parts[0] == "repository") grant.Add(parts[1], parts[2].Split(','));
        }
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _tokens[token] = grant;
        foreach (var old in _tokens.Where(t => t.Value.Expires < DateTimeOffset.UtcNow).Select(t => t.Key).ToList()) _tokens.TryRemove(old, out _);
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("token", token);
            w.WriteString("access_token", token);
            w.WriteNumber("expires_in", (int)TokenLifetime.TotalSeconds);
            w.WriteString("issued_at", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }
        await ctx.Response.WriteTextAsync(Encoding.UTF8.GetString(buffer.ToArray()), "application/json", 200, ctx.Aborted).ConfigureAwait(false);
    }

    private static bool TryBasic(string header, out string user, out string password)
    {
        user = password = "";
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) return false;
            (user, password) = (text[..colon], text[(colon + 1)..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private sealed class Grant(DateTimeOffset expires)
    {
        private readonly Dictionary<string, HashSet<string>> _actions = new(StringComparer.Ordinal);

        public DateTimeOffset Expires { get; } = expires;

        public void Add(string repository, IEnumerable<string> actions)
        {
            if (!_actions.TryGetValue(repository, out var set)) _actions[repository] = set = new HashSet<string>(StringComparer.Ordinal);
            set.UnionWith(actions);
        }

        public bool Allows(string repository, string action) =>
            _actions.TryGetValue(repository, out var set) && (set.Contains(action) || set.Contains("*"));
    }
}
