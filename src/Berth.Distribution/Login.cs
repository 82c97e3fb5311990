using System.Net;
using Berth.Core.Errors;
using Berth.Distribution.Auth;

namespace Berth.Distribution;

/// <summary><c>docker login</c> on the daemon side: check the credentials against the registry's <c>/v2/</c> challenge.</summary>
public static class Login
{
    public static Task CheckAsync(HttpClient http, RegistryEndpoint endpoint, RegistryCredentials credentials, CancellationToken ct) =>
        CheckAsync(new RegistryClient(http, endpoint, "", credentials, push: false), credentials, ct);

    /// <summary>Over the daemon's transports: certs.d trust, and an insecure registry's HTTPS-then-HTTP fallback.</summary>
    public static Task CheckAsync(Tls.RegistryTransports transports, RegistryEndpoint endpoint, RegistryCredentials credentials, CancellationToken ct) =>
        CheckAsync(new RegistryClient(transports, endpoint, "", credentials, push: false), credentials, ct);

    private static async Task CheckAsync(RegistryClient session, RegistryCredentials credentials, CancellationToken ct)
    {
        using var first = await session.PingAsync(ct).ConfigureAwait(false);
        var ping = session.Url("/v2/");
        var http = session.Http;
        if (first.IsSuccessStatusCode) return;
        if (first.StatusCode != HttpStatusCode.Unauthorized)
            throw new EngineException(ErrorKind.Unknown, $"login attempt to {ping} failed with status: {(int)first.StatusCode} {first.ReasonPhrase}");
        var challenge = AuthChallenge.Parse(first.Headers.WwwAuthenticate.ToString())
                        ?? throw new EngineException(ErrorKind.Unauthorized, $"login attempt to {ping} failed with status: 401 Unauthorized");
        var header = await new RegistryAuthenticator(http, credentials).AnswerAsync(challenge, [], ct).ConfigureAwait(false);
        using var second = await SendAsync(http, ping, header, ct).ConfigureAwait(false);
        if (!second.IsSuccessStatusCode)
            throw new EngineException(ErrorKind.Unauthorized, $"login attempt to {ping} failed with status: {(int)second.StatusCode} {second.ReasonPhrase}");
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, Uri uri, System.Net.Http.Headers.AuthenticationHeaderValue? auth, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = auth;
        try
        {
            return await http.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new EngineException(ErrorKind.Unknown, $"Get \"{uri}\": {RegistryClient.Describe(e, uri)}", e);
        }
    }
}
