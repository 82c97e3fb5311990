using System.Globalization;
using System.Text.Json;
using Berth.Api.Http;
using Berth.Core.Ids;
using Berth.Registry.Auth;
using Berth.Registry.Storage;

namespace Berth.Registry;

/// <summary>
/// The Distribution spec's <c>/v2/</c> endpoints over <see cref="RegistryStore"/>: base, catalog, tags list, manifests (GET, HEAD, PUT,
/// DELETE by tag or digest), blobs (GET with Range, HEAD, DELETE), uploads (POST with mount or monolithic digest, PATCH, PUT, GET, DELETE).
/// </summary>
internal sealed partial class RegistryHandler(RegistryStore store, UploadSessions uploads, RegistryAccess access, RegistryServerOptions options, Action<string>? log)
{
    private const long MaxManifestBytes = 4 * 1024 * 1024;

    public async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path;
        var ct = ctx.Aborted;
        try
        {
            if (path == "/token" && access.TokenMode)
            {
                await access.IssueTokenAsync(ctx).ConfigureAwait(false);
                return;
            }
            if (path.StartsWith("/v1/", StringComparison.Ordinal))
            {
                await V1Async(ctx, path).ConfigureAwait(false);
                return;
            }
            if (path is "/v2" or "/v2/")
            {
                Authorize(ctx, null, push: false);
                await WriteJsonTextAsync(ctx, "{}", 200).ConfigureAwait(false);
                return;
            }
            if (!path.StartsWith("/v2/", StringComparison.Ordinal)) throw new RegistryException(404, "NOT_FOUND", "page not found");
            var rest = path[4..];
            if (rest == "_catalog")
            {
                Authorize(ctx, null, push: false);
                await CatalogAsync(ctx).ConfigureAwait(false);
                return;
            }
            var method = ctx.Request.Method;
            var write = method is not ("GET" or "HEAD");
            if (write && options.ReadOnly) throw RegistryException.Unsupported();
            if (rest.EndsWith("/tags/list", StringComparison.Ordinal))
            {
                var name = Name(ctx, rest[..^"/tags/list".Length], false);
                await TagsAsync(ctx, name).ConfigureAwait(false);
                return;
            }
            var up = rest.IndexOf("/blobs/uploads", StringComparison.Ordinal);
            if (up > 0 && (rest.Length == up + 14 || rest[up + 14] == '/'))
            {
                var name = Name(ctx, rest[..up], true);
                var id = rest.Length > up + 15 ? rest[(up + 15)..] : "";
                await UploadAsync(ctx, name, id, ct).ConfigureAwait(false);
                return;
            }
            var m = rest.LastIndexOf("/manifests/", StringComparison.Ordinal);
            if (m > 0)
            {
                var name = Name(ctx, rest[..m], write);
                await ManifestAsync(ctx, name, rest[(m + 11)..], ct).ConfigureAwait(false);
                return;
            }
            var b = rest.LastIndexOf("/blobs/", StringComparison.Ordinal);
            if (b > 0)
            {
                var name = Name(ctx, rest[..b], write);
                await BlobAsync(ctx, name, rest[(b + 7)..], ct).ConfigureAwait(false);
                return;
            }
            throw new RegistryException(404, "NOT_FOUND", "page not found");
        }
        catch (RegistryException e)
        {
            if (ctx.Response.HasStarted) throw;
            await WriteErrorAsync(ctx, e).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && !ctx.Response.HasStarted)
        {
            log?.Invoke($"registry: {ctx.Request.Method} {path}: {e}");
            await WriteErrorAsync(ctx, new RegistryException(500, "UNKNOWN", "unknown error: " + e.Message)).ConfigureAwait(false);
        }
    }

    private string Name(HttpContext ctx, string name, bool push)
    {
        if (!RegistryStore.IsValidName(name)) throw RegistryException.NameInvalid();
        Authorize(ctx, name, push);
        return name;
    }

    private void Authorize(HttpContext ctx, string? repository, bool push)
    {
        var challenge = access.Check(ctx.Request, repository, push);
        if (challenge is null) return;
        ctx.Response.Headers.Set("WWW-Authenticate", challenge);
        throw RegistryException.Unauthorized();
    }

    private async Task CatalogAsync(HttpContext ctx)
    {
        var repos = store.Repositories();
        var n = int.TryParse(ctx.Request.Query.Get("n"), out var limit) && limit > 0 ? limit : int.MaxValue;
        var last = ctx.Request.Query.Get("last");
        var page = repos.Where(r => last is null || string.CompareOrdinal(r, last) > 0).Take(n).ToList();
        await WriteJsonAsync(ctx, w =>
        {
            w.WriteStartArray("repositories");
            foreach (var r in page) w.WriteStringValue(r);
            w.WriteEndArray();
        }).ConfigureAwait(false);
    }

    private async Task TagsAsync(HttpContext ctx, string name)
    {
        if (!store.RepositoryExists(name)) throw RegistryException.NameUnknown();
        var tags = store.Tags(name).Select(t => t.Tag).ToList();
        var n = int.TryParse(ctx.Request.Query.Get("n"), out var limit) && limit > 0 ? limit : int.MaxValue;
        var last = ctx.Request.Query.Get("last");
        var page = tags.Where(t => last is null || string.CompareOrdinal(t, last) > 0).Take(n).ToList();
        await WriteJsonAsync(ctx, w =>
        {
            w.WriteString("name", name);
            w.WriteStartArray("tags");
            foreach (var t in page) w.WriteStringValue(t);
            w.WriteEndArray();
        }).ConfigureAwait(false);
    }

    private static Digest ParseDigest(string text) =>
        Digest.TryParse(text, out var d) ? d : throw RegistryException.DigestInvalid("invalid digest " + text);

    internal static Task WriteErrorAsync(HttpContext ctx, RegistryException e)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("errors");
            w.WriteStartObject();
            w.WriteString("code", e.Code);
            w.WriteString("message", e.Message);
            w.WriteNull("detail");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return WriteJsonTextAsync(ctx, System.Text.Encoding.UTF8.GetString(buffer.ToArray()), e.Status);
    }

    private static Task WriteJsonAsync(HttpContext ctx, Action<Utf8JsonWriter> body)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return WriteJsonTextAsync(ctx, System.Text.Encoding.UTF8.GetString(buffer.ToArray()), 200);
    }

    private static Task WriteJsonTextAsync(HttpContext ctx, string json, int status) =>
        ctx.Response.WriteTextAsync(json + "\n", "application/json; charset=utf-8", status, ctx.Aborted);

    private static async Task EmptyAsync(HttpContext ctx, int status)
    {
        ctx.Response.StatusCode = status;
        if (status is not (204 or 304)) ctx.Response.Headers.Set("Content-Length", "0");
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
}
