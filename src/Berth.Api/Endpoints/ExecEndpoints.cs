using Berth.Api.Http;
using Berth.Api.Models;
using Berth.Api.Models.Common;
using Berth.Api.Models.Exec;
using Berth.Core.Errors;
using Berth.Api.Routing;
using Berth.Services.Exec;

namespace Berth.Api.Endpoints;

/// <summary>The exec routes: create, start (hijacked or detached), inspect, resize.</summary>
internal static class ExecEndpoints
{
    public static void Map(Router router, ExecService execs)
    {
        router.Map("POST", "/containers/{id}/exec", async (ctx, r) =>
        {
            var body = await ctx.Request.ReadJsonAsync(ApiJson.Context.ExecConfig, ctx.Aborted) ?? throw new InvalidArgumentException("No exec command specified");
            var id = execs.Create(r["id"], body);
            await ctx.Response.WriteJsonAsync(new IdResponse { Id = id }, ApiJson.Context.IdResponse, 201, ctx.Aborted);
        });
        router.Map("GET", "/exec/{id}/json", (ctx, r) => ctx.Response.WriteJsonAsync(execs.Inspect(r["id"]), ApiJson.Context.ExecInspectResponse, ct: ctx.Aborted));
        router.Map("POST", "/exec/{id}/resize", async (ctx, r) =>
        {
            var (h, w) = ContainerEndpoints.ParseSize(ctx);
            await execs.ResizeAsync(r["id"], h, w, ctx.Aborted);
            await ctx.Response.WriteTextAsync("", "text/plain; charset=utf-8", 200, ctx.Aborted);
        });
        router.Map("POST", "/exec/{id}/start", (ctx, r) => StartAsync(ctx, execs, r["id"]));
    }

    private static async Task StartAsync(HttpContext ctx, ExecService execs, string id)
    {
        var body = await ctx.Request.ReadJsonAsync(ApiJson.Context.ExecStartConfig, ctx.Aborted) ?? new ExecStartConfig();
        var session = execs.PrepareStart(id);
        var process = await execs.LaunchAsync(session, CancellationToken.None);
        if (body.Detach)
        {
            execs.RunDetached(session, process);
            await ctx.Response.WriteTextAsync("", "application/json", 200, ctx.Aborted);
            return;
        }
        var multiplexed = !session.Config.Tty && ctx.AtLeast(1, 42);
        var stream = await ctx.Response.UpgradeAsync(multiplexed ? "application/vnd.docker.multiplexed-stream" : "application/vnd.docker.raw-stream", ctx.Aborted);
        await execs.RunAttachedAsync(session, process, stream, stream.ShutdownWrite, CancellationToken.None);
    }
}
