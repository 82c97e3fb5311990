using Berth.Api.Models;
using Berth.Api.Models.Volumes;
using Berth.Api.Routing;
using Berth.Services;
using Berth.Services.Volumes;

namespace Berth.Api.Endpoints;

/// <summary>The <c>/volumes</c> routes.</summary>
internal static class VolumeEndpoints
{
    public static void Map(Router router, VolumeService volumes)
    {
        router.Map("GET", "/volumes", (ctx, _) =>
            ctx.Response.WriteJsonAsync(volumes.List(Filters.Parse(ctx.Request.Query.Get("filters"))), ApiJson.Context.VolumeListResponse, ct: ctx.Aborted));
        router.Map("POST", "/volumes/create", async (ctx, _) =>
        {
            var body = await ctx.Request.ReadJsonAsync(ApiJson.Context.VolumeCreateRequest, ctx.Aborted) ?? new VolumeCreateRequest();
            await ctx.Response.WriteJsonAsync(volumes.Create(body), ApiJson.Context.Volume, 201, ctx.Aborted);
        });
        router.Map("POST", "/volumes/prune", (ctx, _) =>
        {
            var filters = Filters.Parse(ctx.Request.Query.Get("filters"));
            // Before API 1.42 prune removed every unused volume; since then only anonymous ones unless all=true.
            if (!ctx.AtLeast(1, 42) && !filters.ContainsKey("all"))
                filters = new Dictionary<string, IReadOnlyList<string>>(filters) { ["all"] = ["true"] };
            return ctx.Response.WriteJsonAsync(volumes.Prune(filters), ApiJson.Context.VolumePruneResponse, ct: ctx.Aborted);
        });
        router.Map("GET", "/volumes/{name}", (ctx, r) => ctx.Response.WriteJsonAsync(volumes.Inspect(r["name"]), ApiJson.Context.Volume, ct: ctx.Aborted));
        router.Map("DELETE", "/volumes/{name}", async (ctx, r) =>
        {
            volumes.Remove(r["name"], ctx.Request.Query.GetBool("force", false));
            await ctx.NoContentAsync();
        });
    }
}
