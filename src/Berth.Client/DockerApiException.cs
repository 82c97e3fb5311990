using System.Net;

namespace Berth.Client;

/// <summary>A non-success answer from the daemon. <see cref="Exception.Message"/> is the daemon's <c>message</c> (or the raw
/// body when it was not JSON), which the CLI prints after <c>Error response from daemon: </c>.</summary>
public sealed class DockerApiException(HttpStatusCode statusCode, string message) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    public bool IsNotModified => StatusCode == HttpStatusCode.NotModified;
}
