using System.Collections.Concurrent;
using System.Security.Cryptography;
using Berth.Core.Errors;
using Berth.Core.Ids;
using Berth.Storage;

namespace Berth.Distribution.Transfer;

/// <summary>
/// Downloads blobs into the content store: hashed while written to a named ingest file, resumed with HTTP Range after a broken
/// connection, published only when size and digest match. Concurrent fetches of the same digest share one download.
/// </summary>
public sealed class BlobFetcher(ContentStore content, RegistryOptions options)
{
    private readonly ConcurrentDictionary<Digest, Lazy<Task>> _inFlight = new();

    public async Task FetchAsync(RegistryClient client, Digest digest, long size, Action<long>? progress, CancellationToken ct)
    {
        if (content.Exists(digest)) return;
        var lazy = _inFlight.GetOrAdd(digest, d => new Lazy<Task>(() => DownloadAsync(client, d, size, progress, ct)));
        try
        {
            await lazy.Value.ConfigureAwait(false);
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<Digest, Lazy<Task>>(digest, lazy));
        }
    }

    private async Task DownloadAsync(RegistryClient client, Digest digest, long size, Action<long>? progress, CancellationToken ct)
    {
        var path = content.IngestPath("fetch-" + digest.Encoded);
        using var hash = IncrementalHash.CreateHash(digest.Algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);
        long written = 0;
        var buffer = new byte[256 * 1024];
        try
        {
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        using var response = await client.GetBlobAsync(digest, written, ct).ConfigureAwait(false);
                        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
                        int n;
                        while ((n = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                        {
                            if (size >= 0 && written + n > size)
                                throw new FailedPreconditionException($"filesystem layer verification failed for digest {digest}: more than the {size} bytes the manifest declares");
                            await file.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                            hash.AppendData(buffer, 0, n);
                            written += n;
                            progress?.Invoke(written);
                        }
                        break;
                    }
                    catch (RegistryClient.RangeNotSatisfiedException) when (attempt < options.MaxAttempts)
                    {
                        // The server cannot resume: start again from zero.
                        file.SetLength(0);
                        file.Position = 0;
                        hash.GetHashAndReset();
                        written = 0;
                    }
                    catch (Exception e) when (attempt < options.MaxAttempts && IsTransient(e) && !ct.IsCancellationRequested)
                    {
                        // Keep what was written and hashed; the next attempt asks for the rest.
                        file.SetLength(written);
                        file.Position = written;
                        await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct).ConfigureAwait(false);
                    }
                }
                await file.FlushAsync(ct).ConfigureAwait(false);
            }
            var actual = Digest.FromSha256Hash(hash.GetHashAndReset());
            if (digest.Algorithm != "sha256" || actual != digest || (size >= 0 && written != size))
                throw new FailedPreconditionException($"filesystem layer verification failed for digest {digest}");
            content.PublishVerified(path, digest);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static bool IsTransient(Exception e) =>
        e is IOException or HttpRequestException || (e is EngineException { Kind: ErrorKind.Unknown } && e.InnerException is HttpRequestException);
}
