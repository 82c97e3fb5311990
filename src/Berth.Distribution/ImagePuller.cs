using System.Text;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Core.Ids;
using Berth.Distribution.Manifests;
using Berth.Distribution.Transfer;
using Berth.Storage;

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
        var downloads = new Task[layerDescs.Count];
        for (var i = 0; i < layerDescs.Count; i++)
            downloads[i] = needed[i] ? DownloadLayerAsync(client, layerDescs[i], slots, progress, cts.Token) : Task.CompletedTask;
        foreach (var i in Enumerable.Range(0, layerDescs.Count).Where(i => needed[i]).Skip(Math.Max(1, options.MaxConcurrentDownloads)))
            progress(new ProgressEvent(ShortId(Digest.Parse(layerDescs[i].Digest)), "Waiting", Detail: true));

        long size = 0;
        try
        {
            for (var i = 0; i < layerDescs.Count; i++)
            {
                await downloads[i].ConfigureAwait(false);
                var d = Digest.Parse(layerDescs[i].Digest);
                if (!layers.Exists(chains[i]))
                {
                    var id = ShortId(d);
                    var throttle = new ProgressThrottle(progress, id, "Extracting", layerDescs[i].Size);
                    await using var blob = new ProgressReadStream(content.OpenRead(d), throttle.Report);
                    await layers.ApplyLayerAsync(i == 0 ? null : chains[i - 1], blob, diffIds[i], cts.Token).ConfigureAwait(false);
                }
                if (needed[i]) progress(new ProgressEvent(ShortId(d), "Pull complete", Detail: true));
                size += layers.GetLayer(chains[i])?.Size ?? 0;
            }
        }
        catch
        {
            await cts.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(downloads).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The first failure is the one reported; the others are its consequences (cancelled downloads).
            }
            throw;
        }
        return new PulledImage(topDigest, configDigest, configJson, diffIds, [.. layerDescs.Select(l => l.Digest)], size);
    }

    private async Task DownloadLayerAsync(RegistryClient client, Descriptor layer, SemaphoreSlim slots, Action<ProgressEvent> progress, CancellationToken ct)
    {
        var digest = Digest.Parse(layer.Digest);
        if (layer.MediaType == MediaTypes.OciLayerZstd) throw new NotImplementedEngineException($"layer {digest}: zstd-compressed layers are not supported yet");
        await slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var id = ShortId(digest);
            if (!content.Exists(digest))
            {
                var throttle = new ProgressThrottle(progress, id, "Downloading", layer.Size);
                await fetcher.FetchAsync(client, digest, layer.Size, throttle.Report, ct).ConfigureAwait(false);
                progress(new ProgressEvent(id, "Verifying Checksum", Detail: true));
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
