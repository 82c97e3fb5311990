using System.Collections.Concurrent;
using System.Security.Cryptography;
using Berth.Core.Errors;
using Berth.Core.Ids;
using Berth.Storage;
using Berth.Storage.Content;

namespace Berth.Distribution.Transfer;

/// <summary>
/// Downloads blobs into the content store: hashed while written to a named ingest file, resumed with HTTP Range after a broken
/// connection, published only when size and digest match. Concurrent fetches of the same digest share one download. A caller may
/// follow the partial file as it grows (<see cref="GrowingFile"/>) to unpack the layer while it downloads.
/// </summary>
public sealed class BlobFetcher(ContentStore content, RegistryOptions options)
{
    private readonly ConcurrentDictionary<Digest, Lazy<Task>> _inFlight = new();

    /// <summary>Writeback of the partial file is started every this many bytes, so the fsync before publishing has little left to do.</summary>
    private const long WritebackEvery = 8 << 20;

    /// <summary>
    /// Downloads <paramref name="digest"/> unless stored. <paramref name="follow"/>, when given, is fed as the bytes arrive; it is
    /// abandoned when this call does not write the file itself (already stored, or joining another caller's download).
    /// </summary>
    public async Task FetchAsync(RegistryClient client, Digest digest, long size, Action<long>? progress, CancellationToken ct, GrowingFile? follow = null)
    {
        if (content.Exists(digest))
        {
            follow?.Abandon();
            return;
        }
        var mine = new Lazy<Task>(() => DownloadAsync(client, digest, size, progress, follow, ct));
        var lazy = _inFlight.GetOrAdd(digest, mine);
        if (!ReferenceEquals(lazy, mine)) follow?.Abandon();
        try
        {
            await lazy.Value.ConfigureAwait(false);
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<Digest, Lazy<Task>>(digest, lazy));
        }
    }

    private async Task DownloadAsync(RegistryClient client, Digest digest, long size, Action<long>? progress, GrowingFile? follow, CancellationToken ct)
    {
        var path = content.IngestPath("fetch-" + digest.Encoded);
        using var hash = IncrementalHash.CreateHash(digest.Algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);
        long written = 0, writtenBack = 0;
        var buffer = new byte[256 * 1024];
        try
        {
            // Shared for reading: a follower unpacks from it while it grows.
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous))
            {
                follow?.Created(path);
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
                            follow?.Advance(written);
                            progress?.Invoke(written);
                            if (written - writtenBack >= WritebackEvery)
                            {
                                Writeback.Start(file.SafeFileHandle, writtenBack, written - writtenBack);
                                writtenBack = written;
                            }
                        }
                        break;
                    }
                    catch (RegistryClient.RangeNotSatisfiedException) when (attempt < options.MaxAttempts)
                    {
                        // The server cannot resume: start again from zero. A follower has read bytes that are now rewritten.
                        follow?.Abandon();
                        follow = null;
                        file.SetLength(0);
                        file.Position = 0;
                        hash.GetHashAndReset();
                        written = writtenBack = 0;
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
            // The follower may read to the end now; what it unpacked is committed only after this download returns.
            follow?.Complete(written);
            content.PublishVerified(path, digest);
        }
        catch (Exception e)
        {
            follow?.Fail(e);
            throw;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static bool IsTransient(Exception e) =>
        e is IOException or HttpRequestException || (e is EngineException { Kind: ErrorKind.Unknown } && e.InnerException is HttpRequestException);
}
