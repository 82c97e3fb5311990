using Berth.Api.Http;
using Berth.Core.Ids;

namespace Berth.Registry;

internal sealed partial class RegistryHandler
{
    private async Task UploadAsync(HttpContext ctx, string name, string id, CancellationToken ct)
    {
        var q = ctx.Request.Query;
        if (id.Length == 0)
        {
            if (ctx.Request.Method != "POST") throw RegistryException.Unsupported();
            if (q.Get("mount") is { } mount && q.Get("from") is { } from && Storage.RegistryStore.IsValidName(from))
            {
                var d = ParseDigest(mount);
                // Mounting needs read access to the source repository too.
                if (access.Check(ctx.Request, from, push: false) is null && store.HasBlob(from, d))
                {
                    store.LinkBlob(name, d);
                    await BlobCreatedAsync(ctx, name, d).ConfigureAwait(false);
                    return;
                }
            }
            var session = uploads.Start(name);
            if (q.Get("digest") is { } monolithic)
            {
                await uploads.AppendAsync(session, ctx.Request.Body, null, ct).ConfigureAwait(false);
                await CommitAsync(ctx, name, session, ParseDigest(monolithic), ct).ConfigureAwait(false);
                return;
            }
            await UploadStatusAsync(ctx, name, session, 202).ConfigureAwait(false);
            return;
        }
        switch (ctx.Request.Method)
        {
            case "GET":
                await UploadStatusAsync(ctx, name, id, 204).ConfigureAwait(false);
                return;
            case "PATCH":
                {
                    long? start = null;
                    if (ctx.Request.Headers.Get("Content-Range") is { } range && range.IndexOf('-', StringComparison.Ordinal) is var dash and > 0
                        && long.TryParse(range.AsSpan(0, dash).Trim().TrimStart("bytes ").Trim(), out var s)) start = s;
                    await uploads.AppendAsync(id, ctx.Request.Body, start, ct).ConfigureAwait(false);
                    await UploadStatusAsync(ctx, name, id, 202).ConfigureAwait(false);
                    return;
                }
            case "PUT":
                {
                    var digest = ParseDigest(q.Get("digest") ?? throw RegistryException.DigestInvalid("digest missing"));
                    await uploads.AppendAsync(id, ctx.Request.Body, null, ct).ConfigureAwait(false);
                    await CommitAsync(ctx, name, id, digest, ct).ConfigureAwait(false);
                    return;
                }
            case "DELETE":
                if (!uploads.Cancel(id)) throw RegistryException.UploadUnknown();
                await EmptyAsync(ctx, 204).ConfigureAwait(false);
                return;
            default:
                throw RegistryException.Unsupported();
        }
    }

    private async Task CommitAsync(HttpContext ctx, string name, string id, Digest digest, CancellationToken ct)
    {
        await uploads.CommitAsync(id, digest, ct).ConfigureAwait(false);
        store.LinkBlob(name, digest);
        await BlobCreatedAsync(ctx, name, digest).ConfigureAwait(false);
    }

    private static Task BlobCreatedAsync(HttpContext ctx, string name, Digest digest)
    {
        ctx.Response.Headers.Set("Location", $"/v2/{name}/blobs/{digest}");
        ctx.Response.Headers.Set("Docker-Content-Digest", digest.ToString());
        return EmptyAsync(ctx, 201);
    }

    private async Task UploadStatusAsync(HttpContext ctx, string name, string id, int status)
    {
        var size = uploads.Size(id);
        ctx.Response.Headers.Set("Location", $"/v2/{name}/blobs/uploads/{id}");
        ctx.Response.Headers.Set("Docker-Upload-UUID", id);
        // distribution answers "0-0" for an empty upload, then 0-(size-1).
        ctx.Response.Headers.Set("Range", $"0-{Math.Max(0, size - 1)}");
        await EmptyAsync(ctx, status).ConfigureAwait(false);
    }
}
