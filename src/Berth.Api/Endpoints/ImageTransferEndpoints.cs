using System.Text.Json;
using Berth.Api.Http;
using Berth.Api.Models;
using Berth.Api.Models.Images;
using Berth.Api.Routing;
using Berth.Core.Errors;
using Berth.Services;
using Berth.Services.Containers;
using Berth.Services.Images;

namespace Berth.Api.Endpoints;

/// <summary>Push, login, save/load, commit, prune and disk usage: the image routes backed by <see cref="ImageServices"/>.</summary>
internal static class ImageTransferEndpoints
{
    public static void Map(Router router, ImageService images, ContainerService containers, ImageServices more)
    {
        router.Map("POST", "/images/{name:.*}/push", async (ctx, r) =>
        {
            var credentials = RegistryAuthHeader.Decode(ctx.Request.Headers.Get("X-Registry-Auth"));
            if (credentials is null && ctx.Request.Headers.Get("X-Registry-Auth") is null)
                credentials = RegistryAuthHeader.FromConfig(await ctx.Request.ReadJsonAsync(ApiJson.Context.AuthConfig, ctx.Aborted));
            var stream = new JsonLineStream(ctx);
            await stream.RunAsync(emit => more.Distribution.PushAsync(r["name"], ctx.Request.Query.Get("tag"), credentials, emit, ctx.Aborted));
        });
        router.Map("GET", "/images/get", (ctx, _) => SaveAsync(ctx, more, ctx.Request.Query.GetAll("names")));
        router.Map("GET", "/images/{name:.*}/get", (ctx, r) => SaveAsync(ctx, more, [r["name"]]));
        router.Map("POST", "/images/load", async (ctx, _) =>
        {
            // moby: quiet defaults to true when absent.
            var quiet = ctx.Request.Query.Get("quiet") is null || ctx.Request.Query.GetBool("quiet", true);
            var stream = new JsonLineStream(ctx);
            await stream.RunAsync(emit => more.Archive.LoadAsync(ctx.Request.Body, quiet, emit, ctx.Aborted));
        });
        router.Map("GET", "/images/search", async (ctx, _) =>
        {
            var q = ctx.Request.Query;
            var limit = 0;
            if (!string.IsNullOrEmpty(q.Get("limit")) && (!int.TryParse(q.Get("limit"), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit < 0))
                throw new InvalidArgumentException("invalid limit specified");
            // As moby: a missing or undecodable X-Registry-Auth is no error for a search.
            var credentials = RegistryAuthHeader.Decode(ctx.Request.Headers.Get("X-Registry-Auth"));
            var results = await more.Distribution.Search.SearchAsync(q.Get("term") ?? "", limit, Filters.Parse(q.Get("filters")), credentials, ctx.Aborted);
            await ctx.Response.WriteJsonAsync(results, ApiJson.Context.ListImageSearchResult, ct: ctx.Aborted);
        });
        router.Map("POST", "/commit", async (ctx, _) =>
        {
            var q = ctx.Request.Query;
            var container = q.Get("container") ?? throw new InvalidArgumentException("container is required");
            var overrides = await ctx.Request.ReadJsonAsync(ApiJson.Context.ContainerConfig, ctx.Aborted);
            // moby: pause defaults to true when the parameter is absent (API >= 1.13).
            var pause = string.IsNullOrEmpty(q.Get("pause")) || q.GetBool("pause");
            var id = await more.Commit.CommitAsync(container, q.Get("repo"), q.Get("tag"), q.Get("comment"), q.Get("author"), q.GetAll("changes"), overrides, pause, ctx.Aborted);
            await ctx.Response.WriteJsonAsync(new Models.Common.IdResponse { Id = id }, ApiJson.Context.IdResponse, 201, ctx.Aborted);
        });
        router.Map("POST", "/images/prune", (ctx, _) =>
            ctx.Response.WriteJsonAsync(more.Prune.Prune(Filters.Parse(ctx.Request.Query.Get("filters"))), ApiJson.Context.ImagePruneResponse, ct: ctx.Aborted));
        router.Map("GET", "/system/df", (ctx, _) => DiskUsageAsync(ctx, images, containers, more));
        router.Map("POST", "/auth", async (ctx, _) =>
        {
            var config = await ctx.Request.ReadJsonAsync(ApiJson.Context.AuthConfig, ctx.Aborted) ?? throw new InvalidArgumentException("missing auth config");
            var credentials = RegistryAuthHeader.FromConfig(config) ?? throw new InvalidArgumentException("username or identity token is required");
            await more.Distribution.LoginAsync(config.ServerAddress, credentials, ctx.Aborted);
            await ctx.Response.WriteJsonAsync(new AuthResponse(), ApiJson.Context.AuthResponse, ct: ctx.Aborted);
        });
    }

    private static async Task SaveAsync(HttpContext ctx, ImageServices more, IReadOnlyList<string> names)
    {
        // Resolve every name before the 200, so an unknown one is a 404 and not a broken tar.
        foreach (var n in names) _ = more.Archive.Resolve(n);
        ctx.Response.Headers.Set("Content-Type", "application/x-tar");
        await more.Archive.SaveAsync(names, ctx.Response.Body, ctx.Aborted);
    }

    /// <summary><c>GET /system/df</c>: LayersSize, Images, Containers, Volumes, BuildCache (the last two empty here).</summary>
    private static async Task DiskUsageAsync(HttpContext ctx, ImageService images, ContainerService containers, ImageServices more)
    {
        var empty = new Dictionary<string, IReadOnlyList<string>>();
        var list = images.List(empty, true, containers.CountUsingImage);
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ApiJson.Context.Options.Encoder }))
        {
            w.WriteStartObject();
            w.WriteNumber("LayersSize", more.Prune.LayersSize());
            w.WritePropertyName("Images");
            JsonSerializer.Serialize(w, list, ApiJson.Context.ListImageSummary);
            w.WritePropertyName("Containers");
            JsonSerializer.Serialize(w, containers.List(true, -1, empty), ApiJson.Context.ListContainerSummary);
            w.WriteStartArray("Volumes");
            w.WriteEndArray();
            w.WriteStartArray("BuildCache");
            w.WriteEndArray();
            w.WriteEndObject();
        }
        await ctx.Response.WriteTextAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n", "application/json", 200, ctx.Aborted);
    }
}
