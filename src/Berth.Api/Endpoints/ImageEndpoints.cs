using System.Text.Json;
using Berth.Api.Http;
using Berth.Api.Models;
using Berth.Api.Routing;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Services;
using Berth.Services.Containers;
using Berth.Services.Images;

namespace Berth.Api.Endpoints;

/// <summary>The <c>/images</c> routes. Image names contain '/' and ':', so per-image routes are greedy; fixed routes win.</summary>
internal static class ImageEndpoints
{
    public static void Map(Router router, ImageService images, ContainerService containers, ImageServices? more = null)
    {
        router.Map("GET", "/images/json", (ctx, _) =>
        {
            var list = images.List(Filters.Parse(ctx.Request.Query.Get("filters")), ctx.Request.Query.GetBool("all", false), containers.CountUsingImage);
            return ctx.Response.WriteJsonAsync(list, ApiJson.Context.ListImageSummary, ct: ctx.Aborted);
        });
        router.Map("POST", "/images/create", (ctx, _) => CreateAsync(ctx, images, more));
        if (more is not null) ImageTransferEndpoints.Map(router, images, containers, more);
        router.Map("GET", "/images/{name:.*}/json", (ctx, r) => ctx.Response.WriteJsonAsync(images.Inspect(r["name"]), ApiJson.Context.ImageInspect, ct: ctx.Aborted));
        router.Map("GET", "/images/{name:.*}/history", (ctx, r) => ctx.Response.WriteJsonAsync(images.History(r["name"]), ApiJson.Context.ListImageHistoryItem, ct: ctx.Aborted));
        router.Map("POST", "/images/{name:.*}/tag", async (ctx, r) =>
        {
            var repo = ctx.Request.Query.Get("repo");
            if (string.IsNullOrEmpty(repo)) throw new InvalidArgumentException("repository name must have at least one component");
            images.Tag(r["name"], repo, ctx.Request.Query.Get("tag"));
            await ctx.Response.WriteTextAsync("", "text/plain; charset=utf-8", 201, ctx.Aborted);
        });
        router.Map("DELETE", "/images/{name:.*}", (ctx, r) =>
        {
            var result = images.Remove(r["name"], ctx.Request.Query.GetBool("force", false), containers.FirstUsingImage, ctx.Request.Query.GetBool("noprune", false));
            more?.Prune.CollectContent();
            return ctx.Response.WriteJsonAsync(result, ApiJson.Context.ListImageDeleteResponseItem, ct: ctx.Aborted);
        });
    }

    private static async Task CreateAsync(HttpContext ctx, ImageService images, ImageServices? more)
    {
        var q = ctx.Request.Query;
        var fromSrc = q.Get("fromSrc");
        if (fromSrc is not null)
        {
            if (fromSrc != "-") throw new NotImplementedEngineException("importing from a URL is not supported; use fromSrc=- with the tarball as the body");
            var id = await images.ImportAsync(ctx.Request.Body, q.Get("repo"), q.Get("tag"), q.Get("message"), q.GetAll("changes"), ctx.Aborted);
            ctx.Response.Headers.Set("Content-Type", "application/json");
            var line = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["status"] = id }, ApiJson.Context.DictionaryStringString);
            await ctx.Response.Body.WriteAsync(line, ctx.Aborted);
            await ctx.Response.Body.WriteAsync("\r\n"u8.ToArray(), ctx.Aborted);
            return;
        }
        var from = q.Get("fromImage") ?? throw new InvalidArgumentException("fromImage or fromSrc is required");
        var tag = q.Get("tag");
        if (more is null)
        {
            var text = string.IsNullOrEmpty(tag) ? from : tag.StartsWith("sha256:", StringComparison.Ordinal) ? $"{from}@{tag}" : $"{from}:{tag}";
            if (!ImageReference.TryParse(text, out var reference)) throw new InvalidArgumentException($"invalid reference format: {text}");
            throw new NotFoundException($"pull access denied for {reference.FamiliarName}, repository does not exist or may require 'docker login'");
        }
        var credentials = RegistryAuthHeader.Decode(ctx.Request.Headers.Get("X-Registry-Auth"));
        var stream = new JsonLineStream(ctx);
        await stream.RunAsync(emit => more.Distribution.PullAsync(from, tag, q.Get("platform"), credentials, emit, ctx.Aborted));
    }
}
