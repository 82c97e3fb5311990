using System.Globalization;
using System.Net;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Distribution.Auth;
using Berth.Distribution.Tls;

namespace Berth.Distribution.Search;

/// <summary>
/// The registry v1 search API as dockerd speaks it: <c>GET /v1/_ping</c> picks the scheme (HTTPS, or HTTP for an insecure registry),
/// then <c>GET /v1/search?q=TERM&amp;n=LIMIT</c> with <c>X-Docker-Token: true</c> and, when the user is logged in, Basic credentials.
/// </summary>
public static class RegistrySearch
{
    public const int DefaultLimit = 25;

    /// <summary>dockerd's split of a search term: <c>host:5000/name</c> names a registry, <c>name</c> or <c>user/name</c> Docker Hub.</summary>
    public static (string Index, string Remote) SplitTerm(string term)
    {
        var parts = term.Split('/', 2);
        if (parts.Length == 1 || (!parts[0].Contains('.', StringComparison.Ordinal) && !parts[0].Contains(':', StringComparison.Ordinal) && parts[0] != "localhost"))
            return (RegistryEndpoint.DockerHubName, term);
        return (parts[0], parts[1]);
    }

    public static async Task<SearchResults> SearchAsync(RegistryTransports transports, RegistryEndpoint endpoint, string remote, int limit,
        RegistryCredentials? credentials, CancellationToken ct)
    {
        if (limit == 0) limit = DefaultLimit;
        if (limit is < 1 or > 100) throw new InvalidArgumentException($"limit {limit} is outside the range of [1, 100]");
        var (baseUri, http) = await PingAsync(transports, endpoint, ct).ConfigureAwait(false);
        var uri = new Uri(baseUri, $"/v1/search?q={Uri.EscapeDataString(remote)}&n={limit.ToString(CultureInfo.InvariantCulture)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.TryAddWithoutValidation("X-Docker-Token", "true");
        // moby's authTransport: a search request carries the user's Basic credentials when it has them.
        if (credentials is { HasBasic: true }) request.Headers.Authorization = RegistryAuthenticator.BasicHeader(credentials);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new EngineException(ErrorKind.Unknown, $"Get \"{uri}\": {transports.TlsFailure(endpoint.Name) ?? RegistryClient.Describe(e, uri)}", e);
        }
        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK) throw new EngineException(ErrorKind.Unknown, $"unexpected status code {(int)response.StatusCode}");
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
                return await JsonSerializer.DeserializeAsync(body, DistributionJsonContext.Default.SearchResults, ct).ConfigureAwait(false) ?? new SearchResults();
            }
            catch (JsonException e)
            {
                throw new EngineException(ErrorKind.Unknown, "error decoding registry search results: " + e.Message, e);
            }
        }
    }

    // moby's newV1Endpoint: HTTPS first; a secure registry that fails is an error with Docker's hint, an insecure one falls back to HTTP.
    private static async Task<(Uri BaseUri, HttpClient Http)> PingAsync(RegistryTransports transports, RegistryEndpoint endpoint, CancellationToken ct)
    {
        var candidates = transports.Candidates(endpoint);
        var errors = new List<string>();
        foreach (var (baseUri, http) in candidates)
        {
            var ping = new Uri(baseUri, "/v1/_ping");
            try
            {
                using var response = await http.GetAsync(ping, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
                transports.Remember(endpoint, baseUri);
                return (baseUri, http);
            }
            catch (HttpRequestException e)
            {
                errors.Add($"Get \"{ping}\": {(baseUri.Scheme == Uri.UriSchemeHttps ? transports.TlsFailure(endpoint.Name) : null) ?? RegistryClient.Describe(e, ping)}");
            }
        }
        var v1 = new Uri(candidates[0].BaseUri, "/v1/");
        if (!endpoint.IsPlainHttp)
            throw new InvalidArgumentException($"invalid registry endpoint {v1}: {errors[0]}. If this private registry supports only HTTP or HTTPS with an unknown CA certificate, add `--insecure-registry {endpoint.Name}` to the daemon's arguments. In the case of HTTPS, if you have access to the registry's CA certificate, no need for the flag; place the CA certificate at /etc/docker/certs.d/{endpoint.Name}/ca.crt");
        throw new InvalidArgumentException($"invalid registry endpoint \"{v1}\". HTTPS attempt: {errors[0]}. HTTP attempt: {errors[^1]}");
    }
}
