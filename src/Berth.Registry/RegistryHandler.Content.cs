using System.Text.Json;
using Berth.Api.Http;
using Berth.Core.Ids;
using Berth.Distribution;
using Berth.Distribution.Manifests;

namespace Berth.Registry;

internal sealed partial class RegistryHandler
{
    private async Task ManifestAsync(HttpContext ctx, string name, string reference, CancellationToken ct)
    {
        var isDigest = reference.Contains(':', StringComparison.Ordinal);
        if (!isDigest && !Storage.RegistryStore.IsValidTag(reference)) throw new RegistryException(400, "TAG_INVALID", "manifest tag did not match URI");
        switch (ctx.Request.Method)
        {
            case "GET" or "HEAD":
                {
                    var digest = isDigest ? ParseDigest(reference) : store.ResolveTag(name, reference) ?? throw RegistryException.ManifestUnknown();
                    var mediaType = store.ManifestMediaType(name, digest) ?? throw RegistryException.ManifestUnknown();
                    var size = store.Content.Size(digest);
                    ctx.Response.Headers.Set("Content-Type", mediaType);
                    ctx.Response.Headers.Set("Content-Length", Num(size));
                    ctx.Response.Headers.Set("Docker-Content-Digest", digest.ToString());
                    ctx.Response.Headers.Set("Etag", $"\"{digest}\"");
                    if (ctx.Request.Method == "GET")
                    {
                        await using var s = store.Content.OpenRead(digest);
                        await s.CopyToAsync(ctx.Response.Body, ct).ConfigureAwait(false);
                    }
                    return;
                }
            case "PUT":
                {
                    var bytes = await ReadLimitedAsync(ctx.Request.Body, MaxManifestBytes, ct).ConfigureAwait(false);
                    var digest = Digest.Sha256(bytes);
                    if (isDigest && ParseDigest(reference) != digest) throw RegistryException.DigestInvalid();
                    ManifestDocument doc;
                    try
                    {
                        doc = JsonSerializer.Deserialize(bytes, DistributionJsonContext.Default.ManifestDocument) ?? throw RegistryException.ManifestInvalid("empty");
                    }
                    catch (JsonException e)
                    {
                        throw RegistryException.ManifestInvalid(e.Message);
                    }
                    var contentType = ctx.Request.Headers.Get("Content-Type");
                    var mediaType = doc.MediaType ?? (contentType is { Length: > 0 } && contentType != "application/json" ? contentType.Split(';')[0].Trim()
                        : doc.Manifests is not null ? MediaTypes.OciIndex : MediaTypes.OciManifest);
                    CheckReferences(name, doc);
                    if (!store.Content.Exists(digest)) await store.Content.WriteAsync(new MemoryStream(bytes), digest, ct).ConfigureAwait(false);
                    store.LinkManifest(name, digest, mediaType);
                    if (!isDigest) store.SetTag(name, reference, digest);
                    ctx.Response.Headers.Set("Location", $"/v2/{name}/manifests/{digest}");
                    ctx.Response.Headers.Set("Docker-Content-Digest", digest.ToString());
                    await EmptyAsync(ctx, 201).ConfigureAwait(false);
                    return;
                }
            case "DELETE":
                {
                    if (isDigest)
                    {
                        if (!store.UnlinkManifest(name, ParseDigest(reference))) throw RegistryException.ManifestUnknown();
                    }
                    else if (!store.DeleteTag(name, reference)) throw RegistryException.ManifestUnknown();
                    await EmptyAsync(ctx, 202).ConfigureAwait(false);
                    return;
                }
            default:
                throw RegistryException.Unsupported();
        }
    }

    private void CheckReferences(string name, ManifestDocument doc)
    {
        if (doc.Manifests is not null)
        {
            foreach (var m in doc.Manifests)
                if (!Digest.TryParse(m.Digest, out var d) || store.ManifestMediaType(name, d) is null) throw RegistryException.ManifestBlobUnknown();
            return;
        }
        if (doc.Config is null || doc.Layers is null) throw RegistryException.ManifestInvalid("neither an image manifest nor an index");
        foreach (var blob in doc.Layers.Prepend(doc.Config))
        {
            if (blob.Urls is { Count: > 0 }) continue;   // foreign layers live elsewhere
            if (!Digest.TryParse(blob.Digest, out var d) || !store.HasBlob(name, d)) throw RegistryException.ManifestBlobUnknown();
        }
    }

    private async Task BlobAsync(HttpContext ctx, string name, string digestText, CancellationToken ct)
    {
        var digest = ParseDigest(digestText);
        switch (ctx.Request.Method)
        {
            case "GET" or "HEAD":
                {
                    if (!store.HasBlob(name, digest)) throw RegistryException.BlobUnknown();
                    var size = store.Content.Size(digest);
                    var (start, end) = ParseRange(ctx.Request.Headers.Get("Range"), size);
                    ctx.Response.Headers.Set("Content-Type", "application/octet-stream");
                    ctx.Response.Headers.Set("Docker-Content-Digest", digest.ToString());
                    ctx.Response.Headers.Set("Accept-Ranges", "bytes");
                    ctx.Response.Headers.Set("Etag", $"\"{digest}\"");
                    if (start > 0 || end < size - 1)
                    {
                        ctx.Response.StatusCode = 206;
                        ctx.Response.Headers.Set("Content-Range", $"bytes {start}-{end}/{size}");
                    }
                    ctx.Response.Headers.Set("Content-Length", Num(end - start + 1));
                    if (ctx.Request.Method == "GET" && end >= start)
                    {
                        await using var s = store.Content.OpenRead(digest);
                        s.Position = start;
                        await CopyAsync(s, ctx.Response.Body, end - start + 1, ct).ConfigureAwait(false);
                    }
                    return;
                }
            case "DELETE":
                if (!store.UnlinkBlob(name, digest)) throw RegistryException.BlobUnknown();
                await EmptyAsync(ctx, 202).ConfigureAwait(false);
                return;
            default:
                throw RegistryException.Unsupported();
        }
    }

    private static (long Start, long End) ParseRange(string? header, long size)
    {
        if (string.IsNullOrEmpty(header) || !header.StartsWith("bytes=", StringComparison.Ordinal)) return (0, size - 1);
        var spec = header[6..].Split(',')[0];
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !long.TryParse(spec[..dash], out var start)) return (0, size - 1);
        var end = dash + 1 < spec.Length && long.TryParse(spec[(dash + 1)..], out var e) ? Math.Min(e, size - 1) : size - 1;
        if (start >= size) throw new RegistryException(416, "RANGE_INVALID", "requested range not satisfiable");
        return (start, end);
    }

    private static async Task CopyAsync(Stream from, Stream to, long count, CancellationToken ct)
    {
        var buf = new byte[256 * 1024];
        while (count > 0)
        {
            var n = await from.ReadAsync(buf.AsMemory(0, (int)Math.Min(buf.Length, count)), ct).ConfigureAwait(false);
            if (n == 0) break;
            await to.WriteAsync(buf.AsMemory(0, n), ct).ConfigureAwait(false);
            count -= n;
        }
    }

    private static async Task<byte[]> ReadLimitedAsync(Stream s, long max, CancellationToken ct)
    {
        var ms = new MemoryStream();
        var buf = new byte[64 * 1024];
        int n;
        while ((n = await s.ReadAsync(buf, ct).ConfigureAwait(false)) > 0)
        {
            ms.Write(buf, 0, n);
            if (ms.Length > max) throw RegistryException.ManifestInvalid("manifest too large");
        }
        return ms.ToArray();
    }
}
