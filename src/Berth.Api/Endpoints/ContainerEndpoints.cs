using System.Text.Json;
using Berth.Api.Http;
using Berth.Api.Models;
using Berth.Api.Models.Containers;
using Berth.Api.Routing;
using Berth.Core.Errors;
using Berth.Services;
using Berth.Services.Containers;
using Berth.Services.Logs;

namespace Berth.Api.Endpoints;

/// <summary>The <c>/containers</c> routes: parse, call <see cref="ContainerService"/>, write.</summary>
internal static class ContainerEndpoints
{
    public static void Map(Router router, ContainerService containers)
    {
        router.Map("POST", "/containers/create", async (ctx, _) =>
        {
            var body = await ctx.Request.ReadJsonAsync(ApiJson.Context.ContainerCreateRequest, ctx.Aborted)
                ?? throw new InvalidArgumentException("config cannot be empty in order to create a container");
            var created = await containers.CreateAsync(ctx.Request.Query.Get("name"), body, ctx.Aborted);
            await ctx.Response.WriteJsonAsync(created, ApiJson.Context.ContainerCreateResponse, 201, ctx.Aborted);
        });
        router.Map("GET", "/containers/json", (ctx, _) =>
        {
            var list = containers.List(ctx.Request.Query.GetBool("all", false), ctx.Request.QueryInt("limit") ?? -1, Filters.Parse(ctx.Request.Query.Get("filters")));
            return ctx.Response.WriteJsonAsync(list, ApiJson.Context.ListContainerSummary, ct: ctx.Aborted);
        });
        router.Map("POST", "/containers/prune", async (ctx, _) =>
            await ctx.Response.WriteJsonAsync(await containers.PruneAsync(Filters.Parse(ctx.Request.Query.Get("filters")), ctx.Aborted), ApiJson.Context.ContainerPruneResponse, ct: ctx.Aborted));
        router.Map("GET", "/containers/{id}/json", (ctx, r) => ctx.Response.WriteJsonAsync(containers.Inspect(r["id"]), ApiJson.Context.ContainerInspectResponse, ct: ctx.Aborted));
        router.Map("POST", "/containers/{id}/start", async (ctx, r) => { await containers.StartAsync(r["id"], ctx.Aborted); await ctx.NoContentAsync(); });
        router.Map("POST", "/containers/{id}/stop", async (ctx, r) =>
        {
            await containers.StopAsync(r["id"], ctx.Request.QueryInt("t"), ctx.Request.Query.Get("signal"), CancellationToken.None);
            await ctx.NoContentAsync();
        });
        router.Map("POST", "/containers/{id}/restart", async (ctx, r) =>
        {
            await containers.RestartAsync(r["id"], ctx.Request.QueryInt("t"), ctx.Request.Query.Get("signal"), CancellationToken.None);
            await ctx.NoContentAsync();
        });
        router.Map("POST", "/containers/{id}/kill", async (ctx, r) => { await containers.KillAsync(r["id"], ctx.Request.Query.Get("signal"), ctx.Aborted); await ctx.NoContentAsync(); });
        router.Map("POST", "/containers/{id}/pause", async (ctx, r) => { await containers.PauseAsync(r["id"], ctx.Aborted); await ctx.NoContentAsync(); });
        router.Map("POST", "/containers/{id}/unpause", async (ctx, r) => { await containers.UnpauseAsync(r["id"], ctx.Aborted); await ctx.NoContentAsync(); });
        router.Map("DELETE", "/containers/{id}", async (ctx, r) =>
        {
            if (ctx.Request.Query.GetBool("link", false)) throw new InvalidArgumentException("Conflict, cannot remove the default link name of the container");
            await containers.RemoveAsync(r["id"], ctx.Request.Query.GetBool("force", false), ctx.Request.Query.GetBool("v", false), CancellationToken.None);
            await ctx.NoContentAsync();
        });
        router.Map("POST", "/containers/{id}/rename", async (ctx, r) => { containers.Rename(r["id"], ctx.Request.Query.Get("name") ?? ""); await ctx.NoContentAsync(); });
        router.Map("POST", "/containers/{id}/resize", async (ctx, r) =>
        {
            var (h, w) = ParseSize(ctx);
            await containers.ResizeAsync(r["id"], h, w, ctx.Aborted);
            await ctx.Response.WriteTextAsync("", "text/plain; charset=utf-8", 200, ctx.Aborted);
        });
        router.Map("POST", "/containers/{id}/update", async (ctx, r) =>
        {
            var body = await ctx.Request.ReadJsonAsync(ApiJson.Context.HostConfig, ctx.Aborted) ?? new HostConfig();
            await ctx.Response.WriteJsonAsync(await containers.UpdateAsync(r["id"], body, ctx.Aborted), ApiJson.Context.ContainerUpdateResponse, ct: ctx.Aborted);
        });
        router.Map("GET", "/containers/{id}/top", async (ctx, r) =>
            await ctx.Response.WriteJsonAsync(await containers.TopAsync(r["id"], ctx.Request.Query.Get("ps_args"), ctx.Aborted), ApiJson.Context.ContainerTopResponse, ct: ctx.Aborted));
        router.Map("GET", "/containers/{id}/changes", (ctx, r) =>
            ctx.Response.WriteJsonAsync(containers.Changes(r["id"]), ApiJson.Context.ListFilesystemChange, ct: ctx.Aborted));
        router.Map("POST", "/containers/{id}/wait", (ctx, r) => WaitAsync(ctx, containers, r["id"]));
        router.Map("POST", "/containers/{id}/attach", (ctx, r) => AttachAsync(ctx, containers, r["id"]));
        router.Map("GET", "/containers/{id}/logs", (ctx, r) => LogsAsync(ctx, containers, r["id"]));
        router.Map("GET", "/containers/{id}/export", async (ctx, r) =>
        {
            containers.Get(r["id"]);
            ctx.Response.Headers.Set("Content-Type", "application/x-tar");
            await containers.ExportAsync(r["id"], ctx.Response.Body, ctx.Aborted);
        });
    }

    internal static (int H, int W) ParseSize(HttpContext ctx)
    {
        if (!uint.TryParse(ctx.Request.Query.Get("h"), out var h) || !uint.TryParse(ctx.Request.Query.Get("w"), out var w))
            throw new InvalidArgumentException("invalid resize dimensions: h and w must be unsigned integers");
        return ((int)h, (int)w);
    }

    private static async Task WaitAsync(HttpContext ctx, ContainerService containers, string id)
    {
        var condition = ctx.Request.Query.Get("condition");
        if (condition is not (null or "" or "not-running" or "next-exit" or "removed")) throw new InvalidArgumentException($"invalid condition: \"{condition}\"");
        containers.Get(id);
        // The docker CLI waits for these headers before it starts the container: send them now.
        ctx.Response.Headers.Set("Content-Type", "application/json");
        await ctx.Response.FlushAsync(ctx.Aborted);
        ContainerWaitResponse result;
        try
        {
            result = await containers.WaitAsync(id, condition, ctx.Aborted);
        }
        catch (NotFoundException)
        {
            // Removed while waiting (e.g. --rm raced the wait): report what we know.
            result = new ContainerWaitResponse { StatusCode = 0 };
        }
        var json = JsonSerializer.SerializeToUtf8Bytes(result, ApiJson.Context.ContainerWaitResponse);
        await ctx.Response.Body.WriteAsync(json, ctx.Aborted);
        await ctx.Response.Body.WriteAsync("\n"u8.ToArray(), ctx.Aborted);
    }

    private static async Task AttachAsync(HttpContext ctx, ContainerService containers, string id)
    {
        var q = ctx.Request.Query;
        var options = new AttachOptions(q.GetBool("stdin", false), q.GetBool("stdout", false), q.GetBool("stderr", false), q.Get("detachKeys"));
        var c = containers.PrepareAttach(id, options);
        var multiplexed = !c.Doc.Config.Tty && ctx.AtLeast(1, 42);
        var stream = await ctx.Response.UpgradeAsync(multiplexed ? "application/vnd.docker.multiplexed-stream" : "application/vnd.docker.raw-stream", ctx.Aborted);
        await containers.AttachAsync(c, stream, stream.ShutdownWrite, options, CancellationToken.None);
    }

    private static async Task LogsAsync(HttpContext ctx, ContainerService containers, string id)
    {
        var q = ctx.Request.Query;
        var stdout = q.GetBool("stdout", false);
        var stderr = q.GetBool("stderr", false);
        if (!stdout && !stderr) throw new InvalidArgumentException("Bad parameters: you must choose at least one stream");
        var c = containers.Get(id);
        LogDrivers.EnsureReadable(c.Doc.HostConfig.LogConfig?.Type); // before the 200 goes out
        var tailText = q.Get("tail");
        int? tail = int.TryParse(tailText, out var t) && t >= 0 ? t : null;
        var options = new LogOptions(stdout, stderr, q.GetBool("follow", false), q.GetBool("timestamps", false), ctx.Request.QueryTime("since"), ctx.Request.QueryTime("until"), tail);
        var multiplexed = !c.Doc.Config.Tty && ctx.AtLeast(1, 42);
        ctx.Response.Headers.Set("Content-Type", multiplexed ? "application/vnd.docker.multiplexed-stream" : "application/vnd.docker.raw-stream");
        await ctx.Response.FlushAsync(ctx.Aborted);
        await containers.WriteLogsAsync(c, ctx.Response.Body, options, ctx.Response.FlushAsync, ctx.Aborted);
    }
}
