using System.Net.Http.Headers;
using Berth.Api.Models;
using Berth.Api.Models.Images;

namespace Berth.Client;

public sealed partial class BerthClient
{
    private static Dictionary<string, string> AuthHeader(string? registryAuth) => new() { ["X-Registry-Auth"] = registryAuth ?? "e30=" };

    /// <summary>Pull with credentials: <paramref name="registryAuth"/> is the base64url AuthConfig (null: anonymous).</summary>
    public Task<Stream> PullImageAsync(string fromImage, string tag, string? platform, string? registryAuth, CancellationToken ct) =>
        OpenStreamAsync(HttpMethod.Post, "/images/create" + Query.Build(("fromImage", fromImage), ("tag", tag), ("platform", platform)),
            new ByteArrayContent([]), ct, AuthHeader(registryAuth));

    /// <summary><c>GET /images/search</c>: results as a JSON tree (for <c>--format</c>); <paramref name="limit"/> 0 lets the daemon pick (25).</summary>
    public async Task<System.Text.Json.Nodes.JsonArray> SearchImagesAsync(string term, int limit, string? filtersJson, string? registryAuth, CancellationToken ct)
    {
        var route = "/images/search" + Query.Build(("term", term), ("limit", limit > 0 ? limit.ToString(System.Globalization.CultureInfo.InvariantCulture) : null), ("filters", filtersJson));
        using var response = await SendAsync(HttpMethod.Get, route, null, ct, AuthHeader(registryAuth));
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        return System.Text.Json.Nodes.JsonNode.Parse(bytes) as System.Text.Json.Nodes.JsonArray ?? [];
    }

    /// <summary><c>POST /images/{name}/push?tag=</c>: JSON-lines progress; the last line carries <c>aux</c> with the digest.</summary>
    public Task<Stream> PushImageAsync(string name, string? tag, string? registryAuth, CancellationToken ct) =>
        OpenStreamAsync(HttpMethod.Post, $"/images/{name}/push" + Query.Build(("tag", tag)), new ByteArrayContent([]), ct, AuthHeader(registryAuth));

    public Task<AuthResponse> LoginAsync(AuthConfig config, CancellationToken ct) =>
        PostJsonAsync("/auth", config, ApiJsonContext.Default.AuthConfig, ApiJsonContext.Default.AuthResponse, ct);

    /// <summary><c>GET /images/get?names=…</c>: the docker-archive tar stream.</summary>
    public async Task<Stream> SaveImagesAsync(IEnumerable<string> names, CancellationToken ct)
    {
        var response = await SendAsync(HttpMethod.Get, "/images/get" + Query.Build([.. names.Select(n => ("names", (string?)n))]), null, ct);
        return await response.Content.ReadAsStreamAsync(ct);
    }

    /// <summary><c>POST /images/load?quiet=</c> with the archive as the body.</summary>
    public Task<Stream> LoadImagesAsync(Stream archive, bool quiet, CancellationToken ct)
    {
        var content = new StreamContent(archive);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        return OpenStreamAsync(HttpMethod.Post, "/images/load" + Query.Build(("quiet", quiet ? "1" : "0")), content, ct);
    }

    public async Task<string> CommitAsync(string container, string? repo, string? tag, string? comment, string? author, bool pause, IEnumerable<string> changes, CancellationToken ct)
    {
        var pairs = new List<(string, string?)> { ("container", container), ("repo", repo), ("tag", tag), ("comment", comment), ("author", author), ("pause", pause ? "1" : "0") };
        pairs.AddRange(changes.Select(c => ("changes", (string?)c)));
        var body = new ByteArrayContent("null"u8.ToArray());
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await SendAsync(HttpMethod.Post, "/commit" + Query.Build([.. pairs]), body, ct);
        await using var s = await response.Content.ReadAsStreamAsync(ct);
        var id = await System.Text.Json.JsonSerializer.DeserializeAsync(s, ApiJsonContext.Default.IdResponse, ct);
        return id?.Id ?? "";
    }
}
