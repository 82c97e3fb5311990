namespace Berth.Api.Http;

/// <summary>One parsed request. The body is framed by Content-Length or chunked coding; unread bytes are drained by the server.</summary>
public sealed class HttpRequest
{
    private readonly string? _rawQuery;
    private QueryCollection? _query;

    internal HttpRequest(RequestHead head, Stream body, RequestBodyStream? bodyStream)
    {
        Method = head.Method;
        RawTarget = head.Target;
        Headers = head.Headers;
        MinorVersion = head.MinorVersion;
        Body = body;
        BodyStream = bodyStream;

        var target = RawTarget.AsSpan();
        if (target.Length > 0 && target[0] != '/' && target[0] != '*')
        {
            // Absolute form (http://host/path): keep the path and query only.
            var afterScheme = target.IndexOf("://", StringComparison.Ordinal) + 3;
            var slash = target[afterScheme..].IndexOfAny('/', '?');
            target = slash < 0 ? "/" : target[(afterScheme + slash)..];
        }
        var q = target.IndexOf('?');
        var path = q < 0 ? target : target[..q];
        if (q >= 0) _rawQuery = new string(target[(q + 1)..]);
        Path = PercentEncoding.Decode(path.IsEmpty ? "/" : path, plusAsSpace: false);

        IsHead = Method == "HEAD";
        WantsUpgrade = Headers.ContainsToken("Connection", "upgrade") && Headers.ContainsToken("Upgrade", "tcp");
        KeepAlive = MinorVersion == 1 ? !Headers.ContainsToken("Connection", "close") : Headers.ContainsToken("Connection", "keep-alive");
        ExpectsContinue = MinorVersion == 1 && bodyStream is not null
            && string.Equals(Headers.Get("Expect"), "100-continue", StringComparison.OrdinalIgnoreCase);
    }

    public string Method { get; }

    /// <summary>The percent-decoded path, without the query.</summary>
    public string Path { get; }

    /// <summary>The request target exactly as sent.</summary>
    public string RawTarget { get; }

    public QueryCollection Query => _query ??= _rawQuery is null ? QueryCollection.Empty : QueryCollection.Parse(_rawQuery);

    public HeaderCollection Headers { get; }

    /// <summary>The decoded body; an empty stream when the request has none.</summary>
    public Stream Body { get; }

    /// <summary>The client asked to hijack the connection: <c>Connection: Upgrade</c> and <c>Upgrade: tcp</c>.</summary>
    public bool WantsUpgrade { get; }

    internal int MinorVersion { get; }

    internal bool IsHead { get; }

    internal bool KeepAlive { get; }

    internal bool ExpectsContinue { get; }

    internal RequestBodyStream? BodyStream { get; }

    internal bool BodyComplete => BodyStream?.IsComplete ?? true;

    internal bool BodyFullyBuffered => BodyStream?.IsFullyBuffered ?? true;
}
