using System.Text.Json;
using Berth.Api.Http;
using Berth.Api.Models;
using Berth.Api.Routing;
using Berth.Services.Containers;
using Berth.Services.Stats;

namespace Berth.Api.Endpoints;

/// <summary><c>GET /containers/{id}/stats</c>: one JSON object per line, flushed as it is written.</summary>
internal static class StatsEndpoints
{
    private static readonly byte[] Newline = "\n"u8.ToArray();

    public static void Map(Router router, ContainerService containers)
    {
        var stats = new StatsService(containers);
        router.Map("GET", "/containers/{id}/stats", async (ctx, r) =>
        {
            var c = stats.Resolve(r["id"]);
            var q = ctx.Request.Query;
            var stream = q.GetBool("stream", true);
            ctx.Response.Headers.Set("Content-Type", "application/json");
            await ctx.Response.FlushAsync(ctx.Aborted);
            await stats.WriteAsync(c, stream, q.GetBool("one-shot", false), async (sample, ct) =>
            {
                await ctx.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(sample, ApiJson.Context.ContainerStats), ct);
                await ctx.Response.Body.WriteAsync(Newline, ct);
                await ctx.Response.FlushAsync(ct);
            }, ctx.Aborted);
        });
    }
}
