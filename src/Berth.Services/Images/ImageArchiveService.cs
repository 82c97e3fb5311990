using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Core.Ids;
using Berth.Core.Images;
using Berth.Distribution;
using Berth.Distribution.Manifests;
using Berth.Services.Events;
using Berth.Storage;
using Berth.Storage.Archive;

namespace Berth.Services.Images;

/// <summary>
/// <c>docker save</c> and <c>docker load</c>: the archive moby 25+ writes (an OCI image layout with <c>index.json</c> plus Docker's
/// <c>manifest.json</c>, uncompressed layers named by diff id), and on load also pre-25 archives (<c>&lt;id&gt;/layer.tar</c>),
/// skopeo's docker-archive and plain OCI layouts, with gzip layers where they come.
/// </summary>
public sealed partial class ImageArchiveService(MetadataStore meta, ContentStore content, LayerStore layers, ImageService images, EventHub events, ContentGate gate)
{
    private static readonly DateTimeOffset EntryTime = DateTimeOffset.UnixEpoch;

    public ImageRecord Resolve(string name) => images.Resolve(name);

    /// <summary>Writes the archive of <paramref name="names"/> (references or ids) to <paramref name="output"/>. Unknown names fail before any byte.</summary>
    public async Task SaveAsync(IReadOnlyList<string> names, Stream output, CancellationToken ct)
    {
        if (names.Count == 0) throw new InvalidArgumentException("no images specified");
        var selected = new List<(ImageRecord Image, List<string> Tags)>();
        foreach (var name in names)
        {
            var image = images.Resolve(name);
            var entry = selected.FirstOrDefault(s => s.Image.Id == image.Id);
            if (entry.Image is null) selected.Add(entry = (image, []));
            // A name that resolved through a tag is saved with it; an id (full or short) is saved untagged, as Docker does.
            if (ImageReference.TryParse(name, out var r) && r.Digest is null && meta.ResolveTag(ImageService.Canonical(r)) == image.Id)
            {
                var full = ImageService.Canonical(r);
                if (!entry.Tags.Contains(full)) entry.Tags.Add(full);
            }
        }

        using var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true);
        var written = new HashSet<string>(StringComparer.Ordinal);
        var index = new List<Descriptor>();
        var manifestJson = new MemoryStream();
        using (var mj = new Utf8JsonWriter(manifestJson))
        {
            mj.WriteStartArray();
            foreach (var (image, tags) in selected)
            {
                var config = Digest.Parse(image.Id);
                await AddBlobAsync(writer, written, config, ct).ConfigureAwait(false);
                var layerDescs = new List<Descriptor>();
                for (var i = 0; i < image.DiffIds.Count; i++)
                {
                    var size = await AddLayerAsync(writer, written, image, i, ct).ConfigureAwait(false);
                    layerDescs.Add(new Descriptor { MediaType = MediaTypes.OciLayer, Digest = image.DiffIds[i], Size = size });
                }
                var manifest = new ManifestDocument
                {
                    SchemaVersion = 2,
                    MediaType = MediaTypes.OciManifest,
                    Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = image.Id, Size = content.Size(config) },
                    Layers = layerDescs,
                };
                var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, Distribution.DistributionJsonContext.Default.ManifestDocument);
                var manifestDigest = Digest.Sha256(manifestBytes);
                if (written.Add(manifestDigest.Encoded)) await AddBytesAsync(writer, "blobs/sha256/" + manifestDigest.Encoded, manifestBytes, ct).ConfigureAwait(false);
                var descriptor = new Descriptor { MediaType = MediaTypes.OciManifest, Digest = manifestDigest.ToString(), Size = manifestBytes.Length };
                if (tags.Count == 0) index.Add(descriptor);
                foreach (var t in tags)
                {
                    var r = ImageReference.Parse(t);
                    index.Add(new Descriptor
                    {
                        MediaType = descriptor.MediaType,
                        Digest = descriptor.Digest,
                        Size = descriptor.Size,
                        Annotations = new Dictionary<string, string> { ["io.containerd.image.name"] = r.FullReference, ["org.opencontainers.image.ref.name"] = r.Tag! },
                    });
                }

                mj.WriteStartObject();
                mj.WriteString("Config", "blobs/sha256/" + config.Encoded);
                if (tags.Count == 0) mj.WriteNull("RepoTags");
                else
                {
                    mj.WriteStartArray("RepoTags");
                    foreach (var t in tags) mj.WriteStringValue(ImageReference.Parse(t).ToString());
                    mj.WriteEndArray();
                }
                mj.WriteStartArray("Layers");
                foreach (var d in image.DiffIds) mj.WriteStringValue("blobs/sha256/" + Digest.Parse(d).Encoded);
                mj.WriteEndArray();
                mj.WriteEndObject();
            }
            mj.WriteEndArray();
        }
        var indexDoc = new ManifestDocument { SchemaVersion = 2, MediaType = MediaTypes.OciIndex, Manifests = index };
        await AddBytesAsync(writer, "index.json", JsonSerializer.SerializeToUtf8Bytes(indexDoc, Distribution.DistributionJsonContext.Default.ManifestDocument), ct).ConfigureAwait(false);
        await AddBytesAsync(writer, "manifest.json", manifestJson.ToArray(), ct).ConfigureAwait(false);
        await AddBytesAsync(writer, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}"u8.ToArray(), ct).ConfigureAwait(false);
        foreach (var (image, _) in selected) events.Publish("image", "save", image.Id, new Dictionary<string, string> { ["name"] = image.Id });
    }

    private async Task AddBlobAsync(TarWriter writer, HashSet<string> written, Digest d, CancellationToken ct)
    {
        if (!written.Add(d.Encoded)) return;
        await using var s = content.OpenRead(d);
        await AddStreamAsync(writer, "blobs/sha256/" + d.Encoded, s, ct).ConfigureAwait(false);
    }

    /// <summary>Adds layer <paramref name="i"/> as an uncompressed tar named by its diff id; a gzip or zstd blob is decompressed (and checked) first.</summary>
    private async Task<long> AddLayerAsync(TarWriter writer, HashSet<string> written, ImageRecord image, int i, CancellationToken ct)
    {
        var diff = Digest.Parse(image.DiffIds[i]);
        var blob = Digest.Parse(image.LayerDigests[i]);
        if (blob == diff)
        {
            if (written.Add(diff.Encoded))
            {
                await using var s = content.OpenRead(blob);
                await AddStreamAsync(writer, "blobs/sha256/" + diff.Encoded, s, ct).ConfigureAwait(false);
            }
            return content.Size(blob);
        }
        var tmp = content.IngestPath("save-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var file = new FileStream(tmp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.Asynchronous))
            {
                await using (var gz = await Decompression.OpenAsync(content.OpenRead(blob), ct).ConfigureAwait(false))
                using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                {
                    var buf = new byte[256 * 1024];
                    int n;
                    while ((n = await gz.ReadAsync(buf, ct).ConfigureAwait(false)) > 0)
                    {
                        hash.AppendData(buf, 0, n);
                        await file.WriteAsync(buf.AsMemory(0, n), ct).ConfigureAwait(false);
                    }
                    if (Digest.FromSha256Hash(hash.GetHashAndReset()) != diff)
                        throw new FailedPreconditionException($"layer {blob} does not decompress to its diff id {diff}");
                }
                file.Position = 0;
                if (written.Add(diff.Encoded)) await AddStreamAsync(writer, "blobs/sha256/" + diff.Encoded, file, ct).ConfigureAwait(false);
                return file.Length;
            }
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    private static Task AddBytesAsync(TarWriter writer, string name, byte[] data, CancellationToken ct) => AddStreamAsync(writer, name, new MemoryStream(data), ct);

    private static Task AddStreamAsync(TarWriter writer, string name, Stream data, CancellationToken ct)
    {
        var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = data,
            ModificationTime = EntryTime,
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        };
        return writer.WriteEntryAsync(entry, ct);
    }
}
