using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Berth.Api.Http;
using Berth.Api.Routing;
using Berth.Builder.Execution;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Services.Build;

namespace Berth.Api.Endpoints;

/// <summary>
/// The classic builder endpoint, <c>POST /build</c>: the context tar is read completely before any output (as moby does), then
/// progress streams as JSON lines ending in "Successfully built &lt;id&gt;" and "Successfully tagged …". Errors before the first
/// line are plain HTTP errors; later ones are an in-band <c>errorDetail</c>.
/// </summary>
internal static class BuildEndpoints
{
    public static void Map(Router router, BuildService build)
    {
        router.Map("POST", "/build", (ctx, _) => BuildAsync(ctx, build));
        // `docker builder prune` / `docker system prune`: forget the step cache (the intermediate images are pruned as images).
        router.Map("POST", "/build/prune", (ctx, _) =>
        {
            build.Prune();
            return ctx.Response.WriteTextAsync("{\"CachesDeleted\":null,\"SpaceReclaimed\":0}", "application/json", 200, ctx.Aborted);
        });
    }

    private static async Task BuildAsync(HttpContext ctx, BuildService build)
    {
        var options = ParseOptions(ctx.Request.Query) with { Secrets = BuildSecretsHeader.Decode(ctx.Request.Headers.Get(BuildSecretsHeader.Name)) };
        var temp = build.CreateTempDirectory();
        try
        {
            var contextPath = Path.Join(temp, "context.tar");
            await using (var file = new FileStream(contextPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                await ctx.Request.Body.CopyToAsync(file, ctx.Aborted);

            var output = new JsonStreamOutput(ctx);
            try
            {
                await using var context = new FileStream(contextPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
                await build.BuildAsync(context, options, output, ctx.Aborted);
            }
            catch (Exception ex) when (ex is BuildFailedException or EngineException && !ctx.Aborted.IsCancellationRequested)
            {
                if (!ctx.Response.HasStarted)
                {
                    if (ex is EngineException) throw;
                    throw new InvalidArgumentException(ex.Message, ex);
                }
                await output.ErrorAsync(ex.Message, (ex as BuildFailedException)?.Code, ctx.Aborted);
            }
        }
        finally
        {
            try { Directory.Delete(temp, recursive: true); }
            catch (IOException) { } // scratch space only
        }
    }

    private static BuildOptions ParseOptions(QueryCollection q)
    {
        if (q.Get("version") == "2")
            throw new InvalidArgumentException("BuildKit (version=2) is not supported by this daemon; use the classic builder (DOCKER_BUILDKIT=0)");
        if (!string.IsNullOrEmpty(q.Get("remote"))) throw new InvalidArgumentException("building from a remote context is not supported; send the context as the request body");
        var tags = q.GetAll("t").Where(t => t.Length > 0).ToList();
        foreach (var t in tags)
            if (!ImageReference.TryParse(t, out var r) || r.Digest is not null) throw new InvalidArgumentException($"invalid reference format: {t}");
        return new BuildOptions
        {
            Dockerfile = q.Get("dockerfile") is { Length: > 0 } d ? d : "Dockerfile",
            Tags = tags,
            BuildArgs = JsonMap(q.Get("buildargs"), "buildargs"),
            Labels = JsonMap(q.Get("labels"), "labels").ToDictionary(kv => kv.Key, kv => kv.Value ?? ""),
            Target = q.Get("target") ?? "",
            NoCache = q.GetBool("nocache"),
            Quiet = q.GetBool("q"),
            Remove = q.GetBool("rm", true),
            ForceRemove = q.GetBool("forcerm"),
            Pull = q.GetBool("pull"),
            CacheFrom = JsonList(q.Get("cachefrom")),
            Host = new BuildHostOptions(q.Get("networkmode"), q.GetAll("extrahosts"), q.GetLong("memory"), q.GetLong("memswap"), q.GetLong("cpushares"),
                q.GetLong("cpuperiod"), q.GetLong("cpuquota"), q.Get("cpusetcpus"), q.GetLong("shmsize")),
        };
    }

    private static Dictionary<string, string?> JsonMap(string? text, string name)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(text)) return result;
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind == JsonValueKind.Null) return result;
            foreach (var p in doc.RootElement.EnumerateObject())
                result[p.Name] = p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new InvalidArgumentException($"invalid {name} value: {ex.Message}");
        }
        return result;
    }

    private static List<string> JsonList(string? text)
    {
        if (string.IsNullOrEmpty(text)) return [];
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Array ? [.. doc.RootElement.EnumerateArray().Select(e => e.GetString() ?? "")] : [];
        }
        catch (JsonException ex)
        {
            throw new InvalidArgumentException($"invalid cachefrom value: {ex.Message}");
        }
    }

    /// <summary>Writes each message as one JSON line and flushes it, so clients see steps as they happen.</summary>
    private sealed class JsonStreamOutput(HttpContext ctx) : IBuildOutput
    {
        private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public Task WriteAsync(string text, CancellationToken ct) => SendAsync(w => w.WriteString("stream", text), ct);

        public Task AuxAsync(string imageId, CancellationToken ct) => SendAsync(w =>
        {
            w.WriteStartObject("aux");
            w.WriteString("ID", imageId);
            w.WriteEndObject();
        }, ct);

        public Task ErrorAsync(string message, int? code, CancellationToken ct) => SendAsync(w =>
        {
            w.WriteStartObject("errorDetail");
            if (code is { } c) w.WriteNumber("code", c);
            w.WriteString("message", message);
            w.WriteEndObject();
            w.WriteString("error", message);
        }, ct);

        private async Task SendAsync(Action<Utf8JsonWriter> body, CancellationToken ct)
        {
            var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer, Options))
            {
                w.WriteStartObject();
                body(w);
                w.WriteEndObject();
            }
            buffer.Write("\r\n"u8);
            if (!ctx.Response.HasStarted) ctx.Response.Headers.Set("Content-Type", "application/json");
            await ctx.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct);
            await ctx.Response.Body.FlushAsync(ct);
        }
    }
}
