using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Berth.Core.Errors;
using Berth.Core.Ids;
using Berth.Distribution.Transfer;

namespace Berth.Distribution;

public sealed partial class RegistryClient
{
    private const long MaxManifestBytes = 4 * 1024 * 1024;

    /// <summary>GETs a manifest by tag or digest; the digest is of the bytes received (checked against a digest reference).</summary>
    public async Task<(byte[] Bytes, string MediaType, Digest Digest)> GetManifestAsync(string reference, string displayName, CancellationToken ct)
    {
        using var response = await SendAsync(() =>
        {
            var r = new HttpRequestMessage(HttpMethod.Get, Url(RepoPath("manifests/" + reference)));
            foreach (var t in MediaTypes.ManifestAccept) r.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(t));
            return r;
        }, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new NotFoundException($"manifest for {displayName} not found: {DescribeErrors(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)) ?? "manifest unknown: manifest unknown"}");
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var err = await ErrorAsync(response, "", ct).ConfigureAwait(false);
            throw new NotFoundException($"pull access denied for {displayName[..LastTagSeparator(displayName)]}, repository does not exist or may require 'docker login': {err.Message}");
        }
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, $"manifest for {displayName}", ct).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength > MaxManifestBytes) throw new InvalidArgumentException($"manifest for {displayName} is too large");
        var bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        var digest = Digest.Sha256(bytes);
        if (Digest.TryParse(reference, out var expected) && expected != digest)
            throw new FailedPreconditionException($"manifest verification failed for digest {expected}");
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        return (bytes, mediaType, digest);
    }

    private static int LastTagSeparator(string name)
    {
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0) return at;
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? colon : name.Length;
    }

    /// <summary>Opens a blob from <paramref name="offset"/> on (HTTP Range when resuming); the caller disposes the response.</summary>
    public async Task<HttpResponseMessage> GetBlobAsync(Digest digest, long offset, CancellationToken ct)
    {
        var response = await SendAsync(() =>
        {
            var r = new HttpRequestMessage(HttpMethod.Get, Url(RepoPath("blobs/" + digest)));
            if (offset > 0) r.Headers.Range = new RangeHeaderValue(offset, null);
            return r;
        }, ct).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            if (offset > 0 && response.StatusCode != HttpStatusCode.PartialContent)
            {
                response.Dispose();
                throw new RangeNotSatisfiedException();
            }
            return response;
        }
        using (response) throw await ErrorAsync(response, $"fetching blob {digest}", ct).ConfigureAwait(false);
    }

    /// <summary>HEAD on a blob: whether this repository already has it.</summary>
    public async Task<bool> BlobExistsAsync(Digest digest, CancellationToken ct)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, Url(RepoPath("blobs/" + digest))), ct).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return true;
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        throw await ErrorAsync(response, $"checking blob {digest}", ct).ConfigureAwait(false);
    }

    /// <summary>Cross-repository mount (<c>POST …/blobs/uploads/?mount=&amp;from=</c>): true when the registry linked the blob (201).</summary>
    public async Task<bool> TryMountAsync(Digest digest, string fromRepository, CancellationToken ct)
    {
        AddScope($"repository:{fromRepository}:pull");
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post,
            Url(RepoPath($"blobs/uploads/?mount={digest}&from={Uri.EscapeDataString(fromRepository)}")))
        { Content = new ByteArrayContent([]) }, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created) return true;
        if (response.StatusCode == HttpStatusCode.Accepted && response.Headers.Location is { } loc)
        {
            // The registry opened an ordinary upload instead; cancel it (best effort: it expires anyway).
            using var cancel = await SendOnceAsync(() => new HttpRequestMessage(HttpMethod.Delete, Resolve(loc)), ct).ConfigureAwait(false);
        }
        return false;
    }

    /// <summary>
    /// Uploads a blob: POST to open an upload, one streamed PATCH with the whole content, PUT with the digest to commit.
    /// <paramref name="progress"/> gets the bytes sent so far.
    /// </summary>
    public async Task UploadBlobAsync(Digest digest, long size, Func<Stream> open, Action<long>? progress, CancellationToken ct)
    {
        Uri location;
        using (var start = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Url(RepoPath("blobs/uploads/"))) { Content = new ByteArrayContent([]) }, ct).ConfigureAwait(false))
        {
            if (start.StatusCode != HttpStatusCode.Accepted || start.Headers.Location is null)
                throw await ErrorAsync(start, $"starting upload of {digest}", ct).ConfigureAwait(false);
            location = Resolve(start.Headers.Location);
        }
        await using (var data = open())
        {
            var content = new StreamContent(new ProgressReadStream(data, progress), 256 * 1024);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.ContentLength = size;
            using var patch = await SendAsync(() => new HttpRequestMessage(HttpMethod.Patch, location) { Content = content }, ct, canRetry: false).ConfigureAwait(false);
            if (patch.StatusCode != HttpStatusCode.Accepted && patch.StatusCode != HttpStatusCode.NoContent)
                throw await ErrorAsync(patch, $"uploading {digest}", ct).ConfigureAwait(false);
            if (patch.Headers.Location is { } next) location = Resolve(next);
        }
        var sep = location.Query.Length > 0 ? "&" : "?";
        var commitUri = new Uri(location + sep + "digest=" + Uri.EscapeDataString(digest.ToString()));
        using var put = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, commitUri) { Content = new ByteArrayContent([]) }, ct).ConfigureAwait(false);
        if (put.StatusCode != HttpStatusCode.Created) throw await ErrorAsync(put, $"committing upload of {digest}", ct).ConfigureAwait(false);
    }

    /// <summary>PUTs a manifest under a tag or digest and returns the digest the registry reports (or that of the bytes).</summary>
    public async Task<Digest> PutManifestAsync(string reference, byte[] bytes, string mediaType, CancellationToken ct)
    {
        using var response = await SendAsync(() =>
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return new HttpRequestMessage(HttpMethod.Put, Url(RepoPath("manifests/" + reference))) { Content = content };
        }, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created && !response.IsSuccessStatusCode)
            throw await ErrorAsync(response, "pushing manifest", ct).ConfigureAwait(false);
        return DigestHeader(response) ?? Digest.Sha256(bytes);
    }

    private Uri Resolve(Uri location) => location.IsAbsoluteUri ? location : new Uri(_base, location);

    /// <summary>The server ignored a Range request: the download restarts from zero.</summary>
    internal sealed class RangeNotSatisfiedException() : Exception("registry ignored the range request");

    internal static string FormatSize(long bytes) => bytes.ToString(CultureInfo.InvariantCulture);
}
