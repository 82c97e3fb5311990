using System.Net.Http.Headers;

namespace Berth.Client;

public sealed partial class BerthClient
{
    /// <summary>
    /// <c>POST /build</c> with a context tar as the body (streamed). Returns the JSON-lines progress (<c>stream</c>, <c>aux</c>,
    /// <c>errorDetail</c>); errors found before the build starts come back as <see cref="DockerApiException"/>.
    /// </summary>
    public Task<Stream> BuildAsync(Stream contextTar, IEnumerable<(string Key, string? Value)> query, CancellationToken ct)
    {
        var content = new StreamContent(contextTar, 64 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        return OpenStreamAsync(HttpMethod.Post, "/build" + Query.Build([.. query]), content, ct, new Dictionary<string, string> { ["X-Registry-Config"] = "e30=" });
    }
}
