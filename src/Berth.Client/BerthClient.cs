using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Berth.Api.Models;

namespace Berth.Client;

/// <summary>
/// Engine API client over the daemon's unix socket. Plain requests go through one pooled <see cref="HttpClient"/>
/// (keep-alive; a <see cref="SocketsHttpHandler.ConnectCallback"/> dials the socket); attach and exec start use
/// <see cref="HijackAsync"/>, a raw HTTP/1.1 upgrade of our own. Paths are versioned (<c>/v1.50/…</c>).
/// </summary>
public sealed partial class BerthClient : IDisposable
{
    public const string DefaultApiVersion = "1.50";
    private const string HostHeader = "api.moby.localhost";
    private readonly HttpClient _http;
    private readonly DaemonEndpoint _endpoint;
    private readonly string _prefix;

    public BerthClient(string socketPath, string apiVersion = DefaultApiVersion)
        : this(DaemonEndpoint.Unix(socketPath), apiVersion)
    {
    }

    /// <summary>A client for any endpoint: a unix socket or TCP, plain or TLS (see <see cref="DaemonEndpoint"/>).</summary>
    public BerthClient(DaemonEndpoint endpoint, string apiVersion = DefaultApiVersion)
    {
        _endpoint = endpoint;
        _prefix = "/v" + apiVersion;
        var handler = new SocketsHttpHandler
        {
            // The TLS session (if any) is ours, so the handler always speaks plain http:// over the stream we return.
            ConnectCallback = async (_, ct) => (await _endpoint.ConnectAsync(ct)).Stream,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://" + HostHeader), Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Berth-Client/1.0 (linux)");
    }

    /// <summary>The unix socket path, or null for a TCP endpoint.</summary>
    public string? SocketPath => _endpoint.UnixPath;

    public DaemonEndpoint Endpoint => _endpoint;

    // ConnectCallback failures arrive wrapped: a refused dial, a failed TLS handshake or a reset during it.
    internal static bool IsConnectFailure(HttpRequestException ex) =>
        ex.InnerException is SocketException or System.Security.Authentication.AuthenticationException
        || (ex.InnerException is IOException && ex.HttpRequestError == HttpRequestError.ConnectionError);

    /// <summary>Versioned path for an API route (<c>/containers/json</c> → <c>/v1.50/containers/json</c>).</summary>
    public string Path(string route) => _prefix + route;

    /// <summary>Sends a request and returns the response once its headers arrived; throws <see cref="DockerApiException"/>
    /// for any status ≥ 300 except those in <paramref name="allowed"/> (e.g. 304 for start/stop).</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string route, HttpContent? body, CancellationToken ct,
        IReadOnlyDictionary<string, string>? headers = null, params HttpStatusCode[] allowed)
    {
        using var request = new HttpRequestMessage(method, Path(route)) { Content = body, Version = HttpVersion.Version11 };
        if (headers is not null)
        {
            foreach (var (k, v) in headers) request.Headers.TryAddWithoutValidation(k, v);
        }
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException ex) when (IsConnectFailure(ex))
        {
            throw new DaemonUnavailableException(_endpoint.ToString(), ex.InnerException!);
        }
        var code = (int)response.StatusCode;
        if (code < 300 || allowed.Contains(response.StatusCode)) return response;
        using (response)
        {
            throw await ToExceptionAsync(response, ct);
        }
    }

    public async Task<T> GetJsonAsync<T>(string route, JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, route, null, ct);
        await using var s = await response.Content.ReadAsStreamAsync(ct);
        return (await JsonSerializer.DeserializeAsync(s, type, ct))!;
    }

    /// <summary>Any JSON answer as a tree (for <c>--format</c> and inspect).</summary>
    public async Task<JsonNode?> GetNodeAsync(string route, CancellationToken ct)
    {
        var bytes = await GetBytesAsync(route, ct);
        return JsonNode.Parse(bytes);
    }

    public async Task<byte[]> GetBytesAsync(string route, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, route, null, ct);
        return await response.Content.ReadAsByteArrayAsync(ct);
    }

    public async Task<TResult> PostJsonAsync<TBody, TResult>(string route, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TResult> resultType, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Post, route, JsonContent(body, bodyType), ct);
        await using var s = await response.Content.ReadAsStreamAsync(ct);
        return (await JsonSerializer.DeserializeAsync(s, resultType, ct))!;
    }

    /// <summary>POST without a meaningful answer body; returns the status (so callers can tell 304 from 204).</summary>
    public async Task<HttpStatusCode> PostAsync(string route, CancellationToken ct, HttpContent? body = null, params HttpStatusCode[] allowed)
    {
        using var response = await SendAsync(HttpMethod.Post, route, body ?? EmptyContent(), ct, null, allowed);
        return response.StatusCode;
    }

    public async Task<HttpStatusCode> DeleteAsync(string route, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Delete, route, null, ct);
        return response.StatusCode;
    }

    public static HttpContent JsonContent<T>(T body, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static ByteArrayContent EmptyContent() => new([]);

    /// <summary>Reads a JSON-lines stream (events, pull progress), one object at a time, until EOF.</summary>
    public static async IAsyncEnumerable<JsonNode> ReadJsonLinesAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, false, 16 * 1024, leaveOpen: true);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (JsonNode.Parse(line) is { } node) yield return node;
        }
    }

    internal static async Task<DockerApiException> ToExceptionAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = response.Content is null ? "" : await response.Content.ReadAsStringAsync(ct);
        return new DockerApiException(response.StatusCode, ErrorMessage(response.Content?.Headers.ContentType?.MediaType, body, response.StatusCode));
    }

    /// <summary>Like the Go client: parse <c>{"message"}</c> only for <c>application/json</c>; otherwise show the raw body.</summary>
    internal static string ErrorMessage(string? mediaType, string body, HttpStatusCode status)
    {
        if (mediaType == "application/json" && body.Length > 0)
        {
            try
            {
                var msg = JsonSerializer.Deserialize(body, ApiJsonContext.Default.ErrorResponse)?.Message;
                if (!string.IsNullOrEmpty(msg)) return msg;
            }
            catch (JsonException)
            {
                // Fall back to the raw body, which is what docker shows for a malformed error.
            }
        }
        body = body.Trim();
        return body.Length > 0 ? body : $"{(int)status} {status}";
    }

    public void Dispose() => _http.Dispose();
}
