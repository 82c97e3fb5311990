using Berth.Api.Models;
using Berth.Api.Routing;
using Berth.Core.Errors;
using Berth.Services;
using Berth.Services.Networks;

namespace Berth.Api.Endpoints;

/// <summary>The <c>/networks</c> routes: parse, call <see cref="NetworkService"/>, write.</summary>
internal static class NetworkEndpoints
{
    public static void Map(Router router, NetworkService networks)
    {
        router.Map("GET", "/networks", (ctx, _) =>
            ctx.Response.WriteJsonAsync(networks.List(Filters.Parse(ctx.Request.Query.Get("filters"))), ApiJson.Context.ListNetworkResource, ct: ctx.Aborted));
        router.Map("POST", "/networks/create", async (ctx, _) =>
        {
            var body = await ctx.Request.ReadJsonAsync(ApiJson.Context.NetworkCreateRequest, ctx.Aborted)
                ?? throw new InvalidArgumentException("network create: empty request body");
            var created = await networks.CreateAsync(body, ctx.Aborted);
            await ctx.Response.WriteJsonAsync(created, ApiJson.Context.NetworkCreateResponse, 201, ctx.Aborted);
        });
        router.Map("POST", "/networks/prune", async (ctx, _) =>
            await ctx.Response.WriteJsonAsync(await networks.PruneAsync(Filters.Parse(ctx.Request.Query.Get("filters")), ctx.Aborted), ApiJson.Context.NetworkPruneResponse, ct: ctx.Aborted));
        router.Map("GET", "/networks/{id}", (ctx, r) => ctx.Response.WriteJsonAsync(networks.Inspect(r["id"]), ApiJson.Context.NetworkResource, ct: ctx.Aborted));
        router.Map("DELETE", "/networks/{id}", async (ctx, r) => { await networks.RemoveAsync(r["id"], ctx.Aborted); await ctx.NoContentAsync(); });
        router.Map("POST", "/networks/{id}/connect", async (ctx, r) =>
        {
            var body = await ctx.Request.ReadJsonAsync(ApiJson.Context.NetworkConnectRequest, ctx.Aborted)
                ?? throw new InvalidArgumentException("network connect: empty request body");
            await networks.ConnectAsync(r["id"], body.Container ?? "", body.EndpointConfig, CancellationToken.None);
            await ctx.Response.WriteTextAsync("", "text/plain; charset=utf-8", 200, ctx.Aborted);
        });
        router.Map("POST", "/networks/{id}/disconnect", async (ctx, r) =>
        {
            var body = await ctx.Request.ReadJsonAsync(ApiJson.Context.NetworkDisconnectRequest, ctx.Aborted)
                ?? throw new InvalidArgumentException("network disconnect: empty request body");
            await networks.DisconnectAsync(r["id"], body.Container ?? "", body.Force, CancellationToken.None);
            await ctx.Response.WriteTextAsync("", "text/plain; charset=utf-8", 200, ctx.Aborted);
        });
    }
}
