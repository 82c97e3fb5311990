using System.Globalization;
using System.Text.Json;
using Berth.Api.Http;
using Berth.Core.Ids;
using Berth.Distribution;
using Berth.Distribution.Search;

namespace Berth.Registry;

/// <summary>
/// The registry v1 endpoints <c>docker search</c> speaks (the Distribution spec has no search): <c>GET /v1/_ping</c> and
/// <c>GET /v1/search?q=&amp;n=</c>, answered from the repositories on disk. A repository matches when the term (case-insensitive) is
/// in its name or in the <c>org.opencontainers.image.description</c> label of its <c>latest</c> (else first) tag, which is also
/// the description shown. There are no stars nor official images here.
/// </summary>
internal sealed partial class RegistryHandler
{
    private const string DescriptionLabel = "org.opencontainers.image.description";

    private async Task V1Async(HttpContext ctx, string path)
    {
        if (ctx.Request.Method is not ("GET" or "HEAD")) throw new RegistryException(405, "UNSUPPORTED", "The operation is unsupported.");
        switch (path)
        {
            case "/v1/_ping":
                // dockerd reads this header first: a standalone registry (no separate index) gets Basic credentials over HTTPS.
                ctx.Response.Headers.Set("X-Docker-Registry-Standalone", "true");
                await WriteJsonTextAsync(ctx, "true", 200).ConfigureAwait(false);
                return;
            case "/v1/search":
                if (access.CheckSearch(ctx.Request) is { } challenge)
                {
                    ctx.Response.Headers.Set("WWW-Authenticate", challenge);
                    throw RegistryException.Unauthorized();
                }
                await SearchAsync(ctx).ConfigureAwait(false);
                return;
            default:
                throw new RegistryException(404, "NOT_FOUND", "page not found");
        }
    }

    private async Task SearchAsync(HttpContext ctx)
    {
        var query = ctx.Request.Query.Get("q") ?? "";
        var n = int.TryParse(ctx.Request.Query.Get("n"), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0 ? Math.Min(limit, 100) : RegistrySearch.DefaultLimit;
        var results = new SearchResults { Query = query };
        foreach (var repo in store.Repositories())
        {
            var description = Description(repo);
            if (query.Length > 0 && !repo.Contains(query, StringComparison.OrdinalIgnoreCase) && !description.Contains(query, StringComparison.OrdinalIgnoreCase)) continue;
            results.NumResults++;
            if (results.Results.Count < n) results.Results.Add(new SearchResult { Name = repo, Description = description });
        }
        await WriteJsonTextAsync(ctx, JsonSerializer.Serialize(results, DistributionJsonContext.Default.SearchResults), 200).ConfigureAwait(false);
    }

    // The description label of the image behind `latest` (or the first tag); an index, a missing blob or bad JSON means none.
    private string Description(string repo)
    {
        var tags = store.Tags(repo);
        if (tags.Count == 0) return "";
        var digest = tags.FirstOrDefault(t => t.Tag == "latest") is { Tag: not null } latest ? latest.Digest : tags[0].Digest;
        try
        {
            using var manifest = JsonDocument.Parse(ReadBlob(digest));
            if (!manifest.RootElement.TryGetProperty("config", out var config) || !config.TryGetProperty("digest", out var cd)
                || !Digest.TryParse(cd.GetString(), out var configDigest) || !store.Content.Exists(configDigest)) return "";
            using var image = JsonDocument.Parse(ReadBlob(configDigest));
            return image.RootElement.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Object
                && c.TryGetProperty("Labels", out var labels) && labels.ValueKind == JsonValueKind.Object
                && labels.TryGetProperty(DescriptionLabel, out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "";
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException)
        {
            return "";
        }
    }

    private byte[] ReadBlob(Digest d)
    {
        using var s = store.Content.OpenRead(d);
        using var buffer = new MemoryStream();
        s.CopyTo(buffer);
        return buffer.ToArray();
    }
}
