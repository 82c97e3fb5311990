using System.Globalization;
using System.Text.Json;
using Berth.Api.Http;
using Berth.Api.Models;
using Berth.Api.Models.Containers;
using Berth.Api.Routing;
using Berth.Core.Errors;
using Berth.Services.Containers;
using Berth.Storage.Archive;

namespace Berth.Api.Endpoints;

/// <summary><c>HEAD/GET/PUT /containers/{id}/archive</c>: <c>docker cp</c>.</summary>
internal static class ContainerArchiveEndpoints
{
    private const string StatHeader = "X-Docker-Container-Path-Stat";

    public static void Map(Router router, ContainerArchive archive)
    {
        router.Map("HEAD", "/containers/{id}/archive", async (ctx, r) =>
        {
            var stat = await archive.StatAsync(r["id"], PathOf(ctx), ctx.Aborted);
            ctx.Response.Headers.Set(StatHeader, Encode(stat));
            ctx.Response.StatusCode = 200;
        });
        router.Map("GET", "/containers/{id}/archive", (ctx, r) =>
            archive.WriteArchiveAsync(r["id"], PathOf(ctx), stat =>
            {
                ctx.Response.Headers.Set(StatHeader, Encode(stat));
                ctx.Response.Headers.Set("Content-Type", "application/x-tar");
                return Task.CompletedTask;
            }, ctx.Response.Body, ctx.Aborted));
        router.Map("PUT", "/containers/{id}/archive", async (ctx, r) =>
        {
            var q = ctx.Request.Query;
            await archive.ExtractAsync(r["id"], PathOf(ctx), ctx.Request.Body, q.GetBool("noOverwriteDirNonDir", false), q.GetBool("copyUIDGID", false), ctx.Aborted);
            ctx.Response.StatusCode = 200;
        });
    }

    private static string PathOf(HttpContext ctx)
    {
        var path = ctx.Request.Query.Get("path");
        if (string.IsNullOrEmpty(path)) throw new InvalidArgumentException("path is required");
        return path;
    }

    /// <summary>Standard base64 of the stat JSON, with Go's RFC 3339 nano time (trailing zeros dropped).</summary>
    internal static string Encode(ContainerPathStat s)
    {
        var json = new ContainerPathStatJson
        {
            Name = s.Name,
            Size = s.Size,
            Mode = s.Mode,
            LinkTarget = s.LinkTarget,
            Mtime = GoTime(s.Mtime),
        };
        return Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(json, ApiJson.Context.ContainerPathStatJson));
    }

    internal static string GoTime(DateTimeOffset t)
    {
        var utc = t.UtcDateTime;
        var frac = (utc.Ticks % TimeSpan.TicksPerSecond).ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (frac.Length > 0 ? "." + frac : "") + "Z";
    }
}
