using System.Net.Http.Headers;
using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.Containers;

namespace Berth.Client;

public sealed partial class BerthClient
{
    private const string PathStatHeader = "X-Docker-Container-Path-Stat";

    /// <summary><c>HEAD /containers/{id}/archive?path=</c>: the stat of a container path.</summary>
    public async Task<ContainerPathStatJson> StatContainerPathAsync(string container, string path, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Head, ArchiveRoute(container, path), null, ct);
        return DecodeStat(response);
    }

    /// <summary><c>GET /containers/{id}/archive?path=</c>: the stat and a tar stream (disposing it releases the connection).</summary>
    public async Task<(ContainerPathStatJson Stat, Stream Tar)> GetContainerArchiveAsync(string container, string path, CancellationToken ct)
    {
        var response = await SendAsync(HttpMethod.Get, ArchiveRoute(container, path), null, ct);
        try
        {
            return (DecodeStat(response), await response.Content.ReadAsStreamAsync(ct));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary><c>PUT /containers/{id}/archive?path=</c>: extracts the tar into the container directory.</summary>
    public async Task PutContainerArchiveAsync(string container, string path, Stream tar, bool noOverwriteDirNonDir, bool copyUidGid, CancellationToken ct)
    {
        var content = new StreamContent(tar);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        var route = $"/containers/{Query.Escape(container)}/archive" + Query.Build(("path", path),
            ("noOverwriteDirNonDir", noOverwriteDirNonDir ? "true" : null), ("copyUIDGID", copyUidGid ? "true" : null));
        using var response = await SendAsync(HttpMethod.Put, route, content, ct);
    }

    private static string ArchiveRoute(string container, string path) => $"/containers/{Query.Escape(container)}/archive" + Query.Build(("path", path));

    private static ContainerPathStatJson DecodeStat(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues(PathStatHeader, out var values)) throw new InvalidDataException($"the daemon sent no {PathStatHeader} header");
        var json = Convert.FromBase64String(values.First());
        return JsonSerializer.Deserialize(json, ApiJsonContext.Default.ContainerPathStatJson) ?? throw new InvalidDataException("empty path stat");
    }
}
