using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Distribution.Auth;

/// <summary>
/// Answers a registry's <c>WWW-Authenticate</c> challenge: Basic with the user's password, or Bearer with a token fetched from the
/// challenge's realm (the Docker token flow: <c>GET realm?service=…&amp;scope=…</c> with Basic credentials, or a refresh-token POST
/// when the client holds an identity token).
/// </summary>
internal sealed class RegistryAuthenticator(HttpClient http, RegistryCredentials credentials)
{
    public RegistryCredentials Credentials => credentials;

    public async Task<AuthenticationHeaderValue> AnswerAsync(AuthChallenge challenge, IReadOnlyList<string> scopes, CancellationToken ct)
    {
        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            if (!credentials.HasBasic) throw Unauthorized("no basic auth credentials");   // Docker's words
            return BasicHeader(credentials);
        }
        if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            throw new EngineException(ErrorKind.Unauthorized, $"unsupported authentication scheme {challenge.Scheme}");
        if (!string.IsNullOrEmpty(credentials.RegistryToken)) return new AuthenticationHeaderValue("Bearer", credentials.RegistryToken);
        var realm = challenge["realm"] ?? throw Unauthorized("bearer challenge without a realm");
        var service = challenge["service"];
        var allScopes = scopes.ToList();
        if (challenge["scope"] is { } asked)
            foreach (var s in asked.Split(' ', StringSplitOptions.RemoveEmptyEntries)) if (!allScopes.Contains(s)) allScopes.Add(s);
        var token = await FetchTokenAsync(realm, service, allScopes, ct).ConfigureAwait(false);
        return new AuthenticationHeaderValue("Bearer", token);
    }

    public static AuthenticationHeaderValue BasicHeader(RegistryCredentials c) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{c.Username}:{c.Password}")));

    private async Task<string> FetchTokenAsync(string realm, string? service, IReadOnlyList<string> scopes, CancellationToken ct)
    {
        HttpRequestMessage request;
        if (!string.IsNullOrEmpty(credentials.IdentityToken))
        {
            // distribution's token spec: an OAuth2 refresh-token grant (what Docker does with a stored identity token).
            var form = new List<KeyValuePair<string, string>>
            {
                new("grant_type", "refresh_token"), new("refresh_token", credentials.IdentityToken), new("client_id", "docker"),
            };
            if (service is not null) form.Add(new("service", service));
            if (scopes.Count > 0) form.Add(new("scope", string.Join(' ', scopes)));
            request = new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
        }
        else
        {
            var query = new StringBuilder();
            if (service is not null) query.Append("service=").Append(Uri.EscapeDataString(service));
            foreach (var s in scopes) query.Append(query.Length > 0 ? "&" : "").Append("scope=").Append(Uri.EscapeDataString(s));
            if (credentials.HasBasic) query.Append(query.Length > 0 ? "&" : "").Append("account=").Append(Uri.EscapeDataString(credentials.Username!));
            var uri = realm + (query.Length == 0 ? "" : (realm.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query);
            request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (credentials.HasBasic) request.Headers.Authorization = BasicHeader(credentials);
        }
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, ct).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new EngineException(ErrorKind.Unknown, $"{request.Method} \"{request.RequestUri}\": {e.Message}", e);
            }
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    var detail = RegistryClient.DescribeErrors(body) ?? $"{(int)response.StatusCode} {response.ReasonPhrase}";
                    throw new EngineException(response.StatusCode == System.Net.HttpStatusCode.Unauthorized ? ErrorKind.Unauthorized : ErrorKind.Unknown,
                        $"{request.Method} \"{realm}\": {detail}");
                }
                TokenResponse? parsed;
                try
                {
                    parsed = JsonSerializer.Deserialize(body, DistributionJsonContext.Default.TokenResponse);
                }
                catch (JsonException e)
                {
                    throw new EngineException(ErrorKind.Unknown, $"invalid token response from {realm}", e);
                }
                var token = parsed?.Token is { Length: > 0 } t ? t : parsed?.AccessToken;
                return string.IsNullOrEmpty(token) ? throw Unauthorized($"token server {realm} returned no token") : token;
            }
        }
    }

    private static EngineException Unauthorized(string message) => new(ErrorKind.Unauthorized, message);
}
