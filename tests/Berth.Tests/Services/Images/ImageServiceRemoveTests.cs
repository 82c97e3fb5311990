using System.Security.Cryptography;
using Berth.Services.Events;
using Berth.Services.Images;
using Berth.Storage;
using Berth.Tests.Storage;

namespace Berth.Tests.Services.Images;

public sealed class ImageServiceRemoveTests
{
    [Fact]
    public async Task Remove_TwoLayerImage_RemovesEveryUnpackedLayer()
    {
        using var tmp = new TempDir();
        var root = new DataRoot(tmp.Sub("root"));
        using var meta = new MetadataStore(root.MetadataPath);
        var content = new ContentStore(root.ContentDir);
        var layers = new LayerStore(root);
        var images = new ImageService(meta, layers, new ImageImporter(meta, content, layers), new EventHub());
        var tar1 = TarBuilder.Build(TarBuilder.File("a", "1")).ToArray();
        var tar2 = TarBuilder.Build(TarBuilder.File("b", "2")).ToArray();
        var l1 = await layers.ApplyLayerAsync(null, new MemoryStream(tar1), CancellationToken.None);
        var l2 = await layers.ApplyLayerAsync(l1.ChainId, new MemoryStream(tar2), CancellationToken.None);
        var id = "sha256:" + Convert.ToHexStringLower(SHA256.HashData("config"u8));
        meta.PutImage(new ImageRecord(id, "{}", [l1.DiffId, l2.DiffId], [l1.DiffId, l2.DiffId], null, DateTimeOffset.UnixEpoch, 2));
        meta.SetTag("docker.io/library/two:latest", id);
        meta.SetTag("docker.io/library/two@sha256:" + new string('a', 64), id);

        var result = images.Remove("two", force: false, _ => null);

        Assert.Contains(result, r => r.Deleted == id);
        Assert.Contains(result, r => r.Untagged == "two@sha256:" + new string('a', 64));
        Assert.False(layers.Exists(l2.ChainId));
        Assert.False(layers.Exists(l1.ChainId));
    }
}
