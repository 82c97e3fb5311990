using System.Net.Http.Headers;
using Berth.Api.Models;
using Berth.Api.Models.Images;

namespace Berth.Client;

public sealed partial class BerthClient
{
    /// <summary>Anonymous registry auth, as the CLI sends it (<c>{}</c> base64url).</summary>
    private static readonly Dictionary<string, string> AnonymousAuth = new() { ["X-Registry-Auth"] = "e30=" };

    public Task<List<ImageSummary>> ListImagesAsync(bool all, bool digests, string? filtersJson, CancellationToken ct) =>
        GetJsonAsync("/images/json" + Query.Build(("all", Query.Flag(all)), ("digests", Query.Flag(digests)), ("filters", filtersJson)),
            ApiJsonContext.Default.ListImageSummary, ct);

    /// <summary>Pull progress as JSON lines (<see cref="ReadJsonLinesAsync"/>); errors after the 200 come in-band.</summary>
    public Task<Stream> PullImageAsync(string fromImage, string tag, string? platform, CancellationToken ct) =>
        OpenStreamAsync(HttpMethod.Post, "/images/create" + Query.Build(("fromImage", fromImage), ("tag", tag), ("platform", platform)),
            new ByteArrayContent([]), ct, AnonymousAuth);

    /// <summary><c>POST /images/create?fromSrc=-</c> with a rootfs tarball body (<c>docker import</c>).</summary>
    public Task<Stream> ImportImageAsync(Stream tar, string? repo, string? tag, string? message, IEnumerable<string> changes, CancellationToken ct)
    {
        var pairs = new List<(string, string?)> { ("fromSrc", "-"), ("repo", repo), ("tag", tag), ("message", message) };
        pairs.AddRange(changes.Select(c => ("changes", (string?)c)));
        var content = new StreamContent(tar);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        return OpenStreamAsync(HttpMethod.Post, "/images/create" + Query.Build([.. pairs]), content, ct);
    }

    public Task TagImageAsync(string image, string repo, string? tag, CancellationToken ct) =>
        PostAsync($"/images/{image}/tag" + Query.Build(("repo", repo), ("tag", tag)), ct);

    public async Task<List<ImageDeleteResponseItem>> RemoveImageAsync(string image, bool force, bool noPrune, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"/images/{image}" + Query.Build(("force", Query.Flag(force)), ("noprune", Query.Flag(noPrune))), null, ct);
        await using var s = await response.Content.ReadAsStreamAsync(ct);
        return await System.Text.Json.JsonSerializer.DeserializeAsync(s, ApiJsonContext.Default.ListImageDeleteResponseItem, ct) ?? [];
    }
}
