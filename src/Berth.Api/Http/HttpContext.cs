namespace Berth.Api.Http;

/// <summary>One request/response exchange on a connection.</summary>
public sealed class HttpContext
{
    private readonly HttpConnection _conn;
    private Dictionary<string, object?>? _items;

    internal HttpContext(HttpConnection conn, HttpRequest request)
    {
        _conn = conn;
        Request = request;
        Response = new HttpResponse(conn, request);
    }

    public HttpRequest Request { get; }

    public HttpResponse Response { get; }

    /// <summary>
    /// Fires when the client connection goes away: a read EOF or error once the request body was consumed (watched
    /// only from the first use of this property), a failed write, or server shutdown. For a hijacked connection a
    /// read EOF is the client's half-close and does not fire it.
    /// </summary>
    public CancellationToken Aborted => _conn.GetAbortedToken();

    /// <summary>Per-request state shared between the router and handlers (for example "api-version").</summary>
    public IDictionary<string, object?> Items => _items ??= new Dictionary<string, object?>(StringComparer.Ordinal);
}
