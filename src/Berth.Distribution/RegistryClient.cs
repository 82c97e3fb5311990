using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Core.Ids;
using Berth.Distribution.Auth;
using Berth.Distribution.Tls;
using Berth.Distribution.Transfer;

namespace Berth.Distribution;

/// <summary>
/// The Distribution spec's HTTP calls for one repository of one registry, with authentication: the first call pings <c>/v2/</c>,
/// answers its challenge once for the session's scopes, and every later request carries the result. A later 401 (a token that
/// expired, a mount needing another repository) is answered again and the request retried once.
/// </summary>
public sealed partial class RegistryClient
{
    private readonly RegistryTransports? _transports;
    private readonly IReadOnlyList<(Uri BaseUri, HttpClient Http)> _candidates;
    private HttpClient _http;
    private RegistryAuthenticator _auth;
    private Uri _base;
    private readonly List<string> _scopes;
    private readonly SemaphoreSlim _authLock = new(1, 1);
    private AuthenticationHeaderValue? _authorization;
    private bool _pinged;

    public RegistryClient(HttpClient http, RegistryEndpoint endpoint, string repository, RegistryCredentials? credentials, bool push)
    {
        _http = http;
        _base = endpoint.BaseUri;
        _candidates = [(endpoint.BaseUri, http)];
        Endpoint = endpoint;
        Repository = repository;
        _auth = new RegistryAuthenticator(http, credentials ?? RegistryCredentials.Anonymous);
        _scopes = [$"repository:{repository}:{(push ? "pull,push" : "pull")}"];
    }

    /// <summary>A session over the daemon's transports: an insecure registry is tried over HTTPS (unverified), then HTTP.</summary>
    public RegistryClient(RegistryTransports transports, RegistryEndpoint endpoint, string repository, RegistryCredentials? credentials, bool push)
        : this(transports.Candidates(endpoint)[0].Http, endpoint, repository, credentials, push)
    {
        _transports = transports;
        _candidates = transports.Candidates(endpoint);
        _base = _candidates[0].BaseUri;
    }

    public RegistryEndpoint Endpoint { get; }

    /// <summary>The scheme and authority this session speaks to (known after the first ping).</summary>
    public Uri BaseUri => _base;

    public string Repository { get; }

    /// <summary>Adds a scope to ask for (e.g. pull on the repository a blob is mounted from).</summary>
    public void AddScope(string scope)
    {
        if (!_scopes.Contains(scope)) _scopes.Add(scope);
    }

    internal Uri Url(string path) => new(_base, path);

    internal HttpClient Http => _http;

    internal string RepoPath(string rest) => $"/v2/{Repository}/{rest}";

    /// <summary>Sends the request <paramref name="make"/> builds (called again for a retry), authenticated; the caller disposes the response.</summary>
    internal async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> make, CancellationToken ct, bool canRetry = true)
    {
        await EnsureAuthorizedAsync(ct).ConfigureAwait(false);
        var response = await SendOnceAsync(make, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || !canRetry) return response;
        var challenge = AuthChallenge.Parse(response.Headers.WwwAuthenticate.ToString());
        if (challenge is null) return response;
        response.Dispose();
        _authorization = await _auth.AnswerAsync(challenge, _scopes, ct).ConfigureAwait(false);
        return await SendOnceAsync(make, ct).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> make, CancellationToken ct)
    {
        using var request = make();
        if (_authorization is not null) request.Headers.Authorization = _authorization;
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new EngineException(ErrorKind.Unknown, $"{Verb(request.Method)} \"{request.RequestUri}\": {DescribeTransport(e, request.RequestUri)}", e);
        }
    }

    /// <summary>Pings <c>/v2/</c> once; a 401 is answered for the session's scopes before anything with a body is sent.</summary>
    public async Task EnsureAuthorizedAsync(CancellationToken ct)
    {
        if (_pinged) return;
        await _authLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_pinged) return;
            using var response = await PingAsync(ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                var challenge = AuthChallenge.Parse(response.Headers.WwwAuthenticate.ToString())
                                ?? throw new EngineException(ErrorKind.Unauthorized, $"{Endpoint.Name}: 401 Unauthorized without a challenge");
                _authorization = await _auth.AnswerAsync(challenge, _scopes, ct).ConfigureAwait(false);
            }
            _pinged = true;
        }
        finally
        {
            _authLock.Release();
        }
    }

    // dockerd's endpoint fallback: a candidate that cannot be reached at all (refused, TLS spoken to plain HTTP or the reverse) gives
    // way to the next; an HTTP answer of any status settles the scheme.
    private static readonly TimeSpan CandidateTimeout = TimeSpan.FromSeconds(10);

    internal async Task<HttpResponseMessage> PingAsync(CancellationToken ct)
    {
        for (var i = 0; ; i++)
        {
            (_base, _http) = _candidates[i];
            if (i > 0) _auth = new RegistryAuthenticator(_http, _auth.Credentials);
            var last = i + 1 >= _candidates.Count;
            // A plain server may sit on a TLS ClientHello waiting for a line end: bound a candidate that has a successor, as Go's
            // 10 s TLS handshake timeout bounds dockerd's.
            using var bound = last ? null : CancellationTokenSource.CreateLinkedTokenSource(ct);
            bound?.CancelAfter(CandidateTimeout);
            try
            {
                var response = await SendOnceAsync(() => new HttpRequestMessage(HttpMethod.Get, Url("/v2/")), bound?.Token ?? ct).ConfigureAwait(false);
                _transports?.Remember(Endpoint, _base);
                return response;
            }
            catch (EngineException e) when (e.InnerException is HttpRequestException && !last)
            {
                // try the next scheme
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested && !last)
            {
                // no answer in time: try the next scheme
            }
        }
    }

    private string DescribeTransport(HttpRequestException e, Uri? uri) =>
        HasAuthenticationFailure(e) && _transports?.TlsFailure(Endpoint.Name) is { } tls ? tls : Describe(e, uri);

    private static bool HasAuthenticationFailure(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is System.Security.Authentication.AuthenticationException) return true;
        return false;
    }

    /// <summary>Turns an error response into an EngineException of the matching kind, with the registry's own error text.</summary>
    internal static async Task<EngineException> ErrorAsync(HttpResponseMessage response, string context, CancellationToken ct)
    {
        var body = response.Content is null ? "" : await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        var detail = DescribeErrors(body) ?? $"{(int)response.StatusCode} {response.ReasonPhrase}";
        var kind = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => ErrorKind.Unauthorized,
            HttpStatusCode.Forbidden => ErrorKind.PermissionDenied,
            HttpStatusCode.NotFound => ErrorKind.NotFound,
            HttpStatusCode.BadRequest => ErrorKind.InvalidArgument,
            _ => ErrorKind.Unknown,
        };
        return new EngineException(kind, context.Length == 0 ? detail : $"{context}: {detail}");
    }

    /// <summary>Docker's rendering of registry errors: <c>manifest unknown: manifest unknown</c> (code lower-cased, then message).</summary>
    internal static string? DescribeErrors(string body)
    {
        if (string.IsNullOrWhiteSpace(body) || !body.TrimStart().StartsWith('{')) return null;
        try
        {
            var errors = JsonSerializer.Deserialize(body, DistributionJsonContext.Default.RegistryErrors);
            if (errors is not { Errors.Count: > 0 }) return null;
            return string.Join("; ", errors.Errors.Select(e => $"{e.Code.ToLowerInvariant().Replace('_', ' ')}: {e.Message}"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Go's wording for a failed dial (<c>dial tcp 127.0.0.1:5000: connect: connection refused</c>), which users search for.</summary>
    internal static string Describe(HttpRequestException e, Uri? uri) => e.InnerException is System.Net.Sockets.SocketException se && uri is not null
        ? $"dial tcp {uri.Authority}: connect: {se.Message.ToLowerInvariant()}"
        : e.InnerException?.Message ?? e.Message;

    internal static string Verb(HttpMethod m) => m.Method.Length == 0 ? m.Method : m.Method[..1] + m.Method[1..].ToLowerInvariant();

    internal static Digest? DigestHeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Docker-Content-Digest", out var v) && Digest.TryParse(v.FirstOrDefault(), out var d) ? d : null;
}
