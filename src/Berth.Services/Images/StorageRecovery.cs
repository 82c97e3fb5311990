using Berth.Services.Containers;
using Berth.Storage;

namespace Berth.Services.Images;

/// <summary>
/// The start-up sweep of what a kill -9 mid-pull, mid-load or mid-build leaves on disk that no record owns: snapshots
/// unpacked for an image that was never recorded, and the blobs downloaded or written for it. (Temp dirs, partial
/// ingests and unowned container dirs go earlier, where their stores open.) Runs before the API listens, so no pull
/// or build can be between unpacking a layer and recording its image; what an image or a container uses always stays.
/// </summary>
public static class StorageRecovery
{
    public static void Run(MetadataStore meta, LayerStore layers, ContainerService containers, ImagePruneService prune, Action<string> log)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var image in meta.ListImages())
            for (var i = 1; i <= image.DiffIds.Count; i++) keep.Add(LayerStore.ChainId(image.DiffIds.Take(i)));
        // A container's own record names its layers too (its image may have been untagged and deleted by force).
        foreach (var c in containers.All)
            if (c.Doc.TopChainId is { } top) keep.Add(top);
        var removed = layers.RemoveUnowned(keep);
        if (removed.Count > 0)
            log($"removed {removed.Count} unpacked layer(s) no image or container owns (an interrupted pull, load or build): {string.Join(", ", removed)}");
        var blobs = prune.CollectContent();
        if (blobs.Count > 0) log($"removed {blobs.Count} blob(s) no image references (an interrupted pull, load or build)");
    }
}
