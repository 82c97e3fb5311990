using System.Text.Json;
using Berth.Core.Ids;
using Berth.Distribution.Manifests;
using Berth.Distribution.Transfer;
using Berth.Storage;
using Berth.Storage.Archive;

namespace Berth.Distribution;

/// <summary>
/// Pushes one image under one tag: each layer is skipped when the repository has it, mounted when another repository of the same
/// registry is known to have it, otherwise uploaded (several at once); then the config, then the manifest (Docker schema2 when
/// every layer is gzip, OCI otherwise).
/// </summary>
public sealed class ImagePusher(ContentStore content, BlobSources sources, RegistryOptions options)
{
    public async Task<(Digest Digest, int Size)> PushAsync(RegistryClient client, string tag, PushImage image, Action<ProgressEvent> progress, CancellationToken ct)
    {
        await client.EnsureAuthorizedAsync(ct).ConfigureAwait(false);
        // Docker lists the top layer first.
        var ordered = image.Layers.Reverse().ToList();
        foreach (var l in ordered) progress(new ProgressEvent(ShortDiff(l), "Preparing", Detail: true));
        foreach (var l in ordered.Skip(options.MaxConcurrentUploads)) progress(new ProgressEvent(ShortDiff(l), "Waiting", Detail: true));

        using var slots = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentUploads));
        await Task.WhenAll(ordered.Select(l => PushLayerAsync(client, l, slots, progress, ct))).ConfigureAwait(false);

        if (!await client.BlobExistsAsync(image.ConfigDigest, ct).ConfigureAwait(false))
            await client.UploadBlobAsync(image.ConfigDigest, image.ConfigSize, () => content.OpenRead(image.ConfigDigest), null, ct).ConfigureAwait(false);

        // Docker schema2 has no zstd media type: an image with a zstd or plain layer is pushed as OCI, as Docker does.
        var allGzip = image.Layers.All(l => l.Compression == LayerCompression.Gzip);
        var manifest = new ManifestDocument
        {
            SchemaVersion = 2,
            MediaType = allGzip ? MediaTypes.DockerManifest : MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = allGzip ? MediaTypes.DockerConfig : MediaTypes.OciConfig, Digest = image.ConfigDigest.ToString(), Size = image.ConfigSize },
            Layers = [.. image.Layers.Select(l => new Descriptor
            {
                MediaType = allGzip ? MediaTypes.DockerLayerGzip : l.Compression switch
                {
                    LayerCompression.Gzip => MediaTypes.OciLayerGzip,
                    LayerCompression.Zstd => MediaTypes.OciLayerZstd,
                    _ => MediaTypes.OciLayer,
                },
                Digest = l.BlobDigest.ToString(), Size = l.Size,
            })],
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, DistributionJsonContext.Default.ManifestDocument);
        var digest = await client.PutManifestAsync(tag, bytes, manifest.MediaType, ct).ConfigureAwait(false);
        foreach (var l in image.Layers) sources.Add(l.BlobDigest, client.Endpoint.Name, client.Repository);
        return (digest, bytes.Length);
    }

    private async Task PushLayerAsync(RegistryClient client, PushLayer layer, SemaphoreSlim slots, Action<ProgressEvent> progress, CancellationToken ct)
    {
        await slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var id = ShortDiff(layer);
            if (await client.BlobExistsAsync(layer.BlobDigest, ct).ConfigureAwait(false))
            {
                progress(new ProgressEvent(id, "Layer already exists", Detail: true));
                return;
            }
            foreach (var from in sources.In(layer.BlobDigest, client.Endpoint.Name).Where(r => r != client.Repository))
            {
                if (await client.TryMountAsync(layer.BlobDigest, from, ct).ConfigureAwait(false))
                {
                    progress(new ProgressEvent(id, "Mounted from " + from, Detail: true));
                    return;
                }
            }
            var throttle = new ProgressThrottle(progress, id, "Pushing", layer.Size);
            await client.UploadBlobAsync(layer.BlobDigest, layer.Size, () => content.OpenRead(layer.BlobDigest), throttle.Report, ct).ConfigureAwait(false);
            progress(new ProgressEvent(id, "Pushed", Detail: true));
        }
        finally
        {
            slots.Release();
        }
    }

    private static string ShortDiff(PushLayer l) => Digest.TryParse(l.DiffId, out var d) ? d.Encoded[..12] : l.DiffId;
}
