using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Core.Ids;
using Berth.Distribution.Manifests;
using Berth.Distribution.Transfer;
using Berth.Storage;
using Berth.Storage.Content;
using Berth.Storage.Snapshots;

namespace Berth.Distribution;

/// <summary>
/// Pulls one image: resolves the manifest (an index picks the platform), fetches the config, downloads the layers concurrently
/// (each verified before it is visible) and unpacks each in order as soon as it and its parent are there, so unpacking overlaps the
/// downloads still running. Progress goes out as Docker's messages.
/// </summary>
public sealed class ImagePuller(ContentStore content, LayerStore layers, BlobFetcher fetcher, RegistryOptions options)
{
    public async Task<PulledImage> PullAsync(RegistryClient client, string reference, string displayName, Platform platform,
        Action<ProgressEvent> progress, CancellationToken ct)
    {
        var (bytes, mediaType, topDigest) = await client.GetManifestAsync(reference, displayName, ct).ConfigureAwait(false);
        var manifest = Parse(bytes, displayName);
        mediaType = manifest.MediaType ?? mediaType;
        if (MediaTypes.IsIndex(mediaType) || (manifest.Manifests is not null && manifest.Config is null))
        {
            var chosen = manifest.Manifests?.FirstOrDefault(m => platform.Matches(m.Platform))
                ?? throw new NotFoundException($"no matching manifest for {platform} in the manifest list entries");
            var (childBytes, _, childDigest) = await client.GetManifestAsync(chosen.Digest, displayName, ct).ConfigureAwait(false);
            if (childDigest.ToString() != chosen.Digest) throw new FailedPreconditionException($"manifest verification failed for digest {chosen.Digest}");
            manifest = Parse(childBytes, displayName);
        }
        if (manifest.Config is null || manifest.Layers is null)
            throw new InvalidArgumentException($"unsupported manifest format for {displayName}: {mediaType}");
        await StoreManifestAsync(bytes, topDigest, ct).ConfigureAwait(false);

        progress(new ProgressEvent(reference, $"Pulling from {client.Repository}"));

        var configDigest = Digest.Parse(manifest.Config.Digest);
        await fetcher.FetchAsync(client, configDigest, manifest.Config.Size, null, ct).ConfigureAwait(false);
        string configJson;
        await using (var s = content.OpenRead(configDigest))
        using (var reader = new StreamReader(s, Encoding.UTF8))
            configJson = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
        var diffIds = JsonSerializer.Deserialize(configJson, DistributionJsonContext.Default.ImageConfigRootfs)?.Rootfs?.DiffIds ?? [];
        var layerDescs = manifest.Layers;
        if (diffIds.Count != layerDescs.Count)
            throw new InvalidArgumentException($"image config of {displayName} lists {diffIds.Count} layers, the manifest {layerDescs.Count}");

        var chains = new string[layerDescs.Count];
        for (var i = 0; i < chains.Length; i++) chains[i] = i == 0 ? diffIds[0] : LayerStore.ChainId(diffIds.Take(i + 1));

        // Announce every layer first, as Docker does, then download and unpack.
        var needed = new bool[layerDescs.Count];
        for (var i = 0; i < layerDescs.Count; i++)
        {
            var d = Digest.Parse(layerDescs[i].Digest);
            needed[i] = !(layers.Exists(chains[i]) && content.Exists(d));
            progress(new ProgressEvent(ShortId(d), needed[i] ? "Pulling fs layer" : "Already exists", Detail: needed[i]));
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var slots = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentDownloads));
        using var unpackSlots = new SemaphoreSlim(Math.Max(2, options.MaxConcurrentDownloads));
        var downloads = new Task[layerDescs.Count];
        var unpacks = new Task<UnpackedLayer?>[layerDescs.Count];
        for (var i = 0; i < layerDescs.Count; i++)
        {
            var follow = needed[i] ? new GrowingFile() : null;
            downloads[i] = needed[i] ? DownloadLayerAsync(client, layerDescs[i], slots, follow!, progress, cts.Token) : Task.CompletedTask;
            unpacks[i] = UnpackLayerAsync(layerDescs[i], diffIds[i], chains[i], downloads[i], follow, unpackSlots, progress, cts.Token);
        }
        foreach (var i in Enumerable.Range(0, layerDescs.Count).Where(i => needed[i]).Skip(Math.Max(1, options.MaxConcurrentDownloads)))
            progress(new ProgressEvent(ShortId(Digest.Parse(layerDescs[i].Digest)), "Waiting", Detail: true));

        long size = 0;
        try
        {
            // Commit in order: a layer becomes visible only on top of its committed parent, its blob verified and published.
            for (var i = 0; i < layerDescs.Count; i++)
            {
                using (var unpacked = await unpacks[i].ConfigureAwait(false))
                    if (unpacked is not null) layers.Commit(unpacked, i == 0 ? null : chains[i - 1]);
                if (needed[i]) progress(new ProgressEvent(ShortId(Digest.Parse(layerDescs[i].Digest)), "Pull complete", Detail: true));
                size += layers.GetLayer(chains[i])?.Size ?? 0;
            }
        }
        catch
        {
            await cts.CancelAsync().ConfigureAwait(false);
            // The first failure is the one reported; the others are its consequences (cancelled transfers). Unpacked but
            // uncommitted layers are deleted.
            foreach (var u in unpacks)
            {
                try
                {
                    (await u.ConfigureAwait(false))?.Dispose();
                }
                catch (Exception)
                {
                }
            }
            try
            {
                await Task.WhenAll(downloads).ConfigureAwait(false);
            }
            catch (Exception)
            {
            }
            throw;
        }
        return new PulledImage(topDigest, configDigest, configJson, diffIds, [.. layerDescs.Select(l => l.Digest)], size);
    }

    /// <summary>
    /// Unpacks one layer into a temp dir: while it downloads when it is being downloaded (following the partial file), from the
    /// stored blob otherwise. Returns only once the blob is verified and published, or null when the snapshot already exists.
    /// A download that fails is what is reported, whatever its partial bytes did to the unpacking.
    /// </summary>
    private async Task<UnpackedLayer?> UnpackLayerAsync(Descriptor layer, string diffId, string chainId, Task download, GrowingFile? follow,
        SemaphoreSlim unpackSlots, Action<ProgressEvent> progress, CancellationToken ct)
    {
        await Task.Yield();
        if (layers.Exists(chainId))
        {
            await download.ConfigureAwait(false);
            return null;
        }
        var digest = Digest.Parse(layer.Digest);
        var id = ShortId(digest);
        var throttle = new ProgressThrottle(progress, id, "Extracting", layer.Size);
        // Extraction progress is shown once the download is complete, as Docker's lines go: Downloading, then Extracting.
        void Report(long n)
        {
            if (download.IsCompleted) throttle.Report(n);
        }

        UnpackedLayer? unpacked = null;
        Exception? failure = null;
        if (follow is not null)
        {
            try
            {
                await using var growing = new ProgressReadStream(await follow.FollowAsync(ct).ConfigureAwait(false), Report);
                unpacked = await UnpackAsync(growing, diffId, unpackSlots, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                failure = e;
            }
        }
        try
        {
            await download.ConfigureAwait(false);   // its error (a digest mismatch) before any the unpacking had
        }
        catch
        {
            unpacked?.Dispose();
            throw;
        }
        if (failure is not null and not GrowingFile.AbandonedException) ExceptionDispatchInfo.Throw(failure);
        if (unpacked is not null) return unpacked;
        // Nothing was followed (the blob was stored already) or the download restarted under the follower: unpack the verified blob.
        await using var blob = new ProgressReadStream(content.OpenRead(digest), throttle.Report);
        return await UnpackAsync(blob, diffId, unpackSlots, ct).ConfigureAwait(false);
    }

    private async Task<UnpackedLayer> UnpackAsync(Stream tar, string diffId, SemaphoreSlim unpackSlots, CancellationToken ct)
    {
        await unpackSlots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await layers.UnpackAsync(tar, diffId, ct).ConfigureAwait(false);
        }
        finally
        {
            unpackSlots.Release();
        }
    }

    private async Task DownloadLayerAsync(RegistryClient client, Descriptor layer, SemaphoreSlim slots, GrowingFile follow, Action<ProgressEvent> progress, CancellationToken ct)
    {
        var digest = Digest.Parse(layer.Digest);
        try
        {
            await slots.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            follow.Fail(e);
            throw;
        }
        try
        {
            var id = ShortId(digest);
            if (!content.Exists(digest))
            {
                var throttle = new ProgressThrottle(progress, id, "Downloading", layer.Size);
                await fetcher.FetchAsync(client, digest, layer.Size, throttle.Report, ct, follow).ConfigureAwait(false);
                progress(new ProgressEvent(id, "Verifying Checksum", Detail: true));
            }
            else
            {
                follow.Abandon();
            }
            progress(new ProgressEvent(id, "Download complete", Detail: true));
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task StoreManifestAsync(byte[] bytes, Digest digest, CancellationToken ct)
    {
        // Kept so save/push can reuse the registry's own manifest bytes.
        if (!content.Exists(digest)) await content.WriteAsync(new MemoryStream(bytes), digest, ct).ConfigureAwait(false);
    }

    internal static ManifestDocument Parse(byte[] bytes, string displayName)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, DistributionJsonContext.Default.ManifestDocument)
                   ?? throw new InvalidArgumentException($"empty manifest for {displayName}");
        }
        catch (JsonException e)
        {
            throw new InvalidArgumentException($"invalid manifest for {displayName}: {e.Message}", e);
        }
    }

    public static string ShortId(Digest d) => d.Encoded[..12];
}
