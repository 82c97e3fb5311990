using System.Text;
using Berth.Storage.Images;

namespace Berth.Storage;

/// <summary>Turns a root file system tar into a one-layer image (<c>docker import</c>, the offline base images).</summary>
public sealed class ImageImporter(MetadataStore meta, ContentStore content, LayerStore layers)
{
    /// <summary>
    /// Stores the tar as a blob (as given: its digest is the layer digest), unpacks it, writes the config blob and the image record.
    /// Tagging is the caller's.
    /// </summary>
    public async Task<ImageRecord> ImportRootfsAsync(Stream tar, ImageConfigInput config, CancellationToken ct)
    {
        var blob = await content.WriteAsync(tar, null, ct);
        LayerInfo layer;
        await using (var stored = content.OpenRead(blob))
            layer = await layers.ApplyLayerAsync(null, stored, ct);

        var created = config.Created ?? DateTimeOffset.UtcNow;
        var json = ImageConfigWriter.Write(config, [layer.DiffId], created);
        var configDigest = await content.WriteAsync(new MemoryStream(json), null, ct);
        var record = new ImageRecord(configDigest.ToString(), Encoding.UTF8.GetString(json), [layer.DiffId], [blob.ToString()], null, created, layer.Size);
        meta.PutImage(record);
        return record;
    }
}
