namespace Berth.Api.Http;

/// <summary>A parsed request line and header block.</summary>
internal sealed class RequestHead(string method, string target, int minorVersion, HeaderCollection headers)
{
    public string Method { get; } = method;
    public string Target { get; } = target;
    /// <summary>0 for HTTP/1.0, 1 for HTTP/1.1.</summary>
    public int MinorVersion { get; } = minorVersion;
    public HeaderCollection Headers { get; } = headers;
}
