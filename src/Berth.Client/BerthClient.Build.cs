using System.Net.Http.Headers;

namespace Berth.Client;

public sealed partial class BerthClient
{
    /// <summary>
    /// <c>POST /build</c> with a context tar as the body (streamed). Returns the JSON-lines progress (<c>stream</c>, <c>aux</c>,
    /// <c>errorDetail</c>); errors found before the build starts come back as <see cref="DockerApiException"/>.
    /// </summary>
    /// <param name="secretsHeader">Berth's <c>X-Berth-Build-Secrets</c> value (base64 JSON of id to base64 content), or null.</param>
    public Task<Stream> BuildAsync(Stream contextTar, IEnumerable<(string Key, string? Value)> query, CancellationToken ct, string? secretsHeader = null)
    {
        var content = new StreamContent(contextTar, 64 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        var headers = new Dictionary<string, string> { ["X-Registry-Config"] = "e30=" };
        if (secretsHeader is not null) headers["X-Berth-Build-Secrets"] = secretsHeader;
        return OpenStreamAsync(HttpMethod.Post, "/build" + Query.Build([.. query]), content, ct, headers);
    }
}
