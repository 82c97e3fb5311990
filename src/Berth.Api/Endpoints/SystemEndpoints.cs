using System.Text;
using System.Text.Json;
using Berth.Api.Http;
using Berth.Api.Models;
using Berth.Api.Routing;
using Berth.Services;
using Berth.Services.Engine;
using Berth.Services.Events;

namespace Berth.Api.Endpoints;

/// <summary>Ping, version, info and events.</summary>
internal static class SystemEndpoints
{
    public static void Map(Router router, SystemService system, EventHub events)
    {
        router.Map("GET", "/_ping", (ctx, _) => PingAsync(ctx, body: true));
        router.Map("HEAD", "/_ping", (ctx, _) => PingAsync(ctx, body: false));
        router.Map("GET", "/version", (ctx, _) => ctx.Response.WriteJsonAsync(system.Version(), ApiJson.Context.SystemVersion, ct: ctx.Aborted));
        router.Map("GET", "/info", (ctx, _) => ctx.Response.WriteJsonAsync(system.Info(), ApiJson.Context.SystemInfo, ct: ctx.Aborted));
        router.Map("GET", "/events", (ctx, _) => EventsAsync(ctx, events));
    }

    private static Task PingAsync(HttpContext ctx, bool body)
    {
        var h = ctx.Response.Headers;
        h.Set("Cache-Control", "no-cache, no-store, must-revalidate");
        h.Set("Pragma", "no-cache");
        h.Set("Builder-Version", "1");
        h.Set("Swarm", "inactive");
        return ctx.Response.WriteTextAsync(body ? "OK" : "", "text/plain; charset=utf-8", 200, ctx.Aborted);
    }

    private static async Task EventsAsync(HttpContext ctx, EventHub events)
    {
        var since = ctx.Request.QueryTime("since");
        var until = ctx.Request.QueryTime("until");
        var filter = new EventFilter(Filters.Parse(ctx.Request.Query.Get("filters")));
        var (replay, live) = events.Subscribe();
        using var _ = live;
        ctx.Response.Headers.Set("Content-Type", "application/json");
        await ctx.Response.FlushAsync(ctx.Aborted);
        var ct = ctx.Aborted;
        using var untilCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (until is { } u)
        {
            var delay = u - DateTimeOffset.UtcNow;
            if (delay > TimeSpan.Zero) untilCts.CancelAfter(delay); else untilCts.Cancel();
        }
        var lastReplayed = 0L;
        if (since is not null || until is not null)
        {
            foreach (var e in replay)
            {
                var at = DateTimeOffset.FromUnixTimeSeconds(0).AddTicks(e.TimeNano / 100);
                if (since is { } s && at < s) continue;
                if (until is { } un && at > un) break;
                if (!filter.Matches(e)) continue;
                await WriteEventAsync(ctx, e, ct);
                lastReplayed = e.TimeNano;
            }
        }
        try
        {
            while (await live.Reader.WaitToReadAsync(untilCts.Token))
            {
                while (live.Reader.TryRead(out var e))
                {
                    if (e.TimeNano <= lastReplayed || !filter.Matches(e)) continue;
                    await WriteEventAsync(ctx, e, ct);
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // "until" reached: end the stream normally.
        }
    }

    private static async Task WriteEventAsync(HttpContext ctx, Api.Models.Events.EventMessage e, CancellationToken ct)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(e, ApiJson.Context.EventMessage);
        await ctx.Response.Body.WriteAsync(json, ct);
        await ctx.Response.Body.WriteAsync("\n"u8.ToArray(), ct);
        await ctx.Response.FlushAsync(ct);
    }
}
