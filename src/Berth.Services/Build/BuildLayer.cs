using Berth.Builder.Execution;
using Berth.Core.Ids;
using Berth.Runtime;
using Berth.Services.Images;
using Berth.Storage;

namespace Berth.Services.Build;

/// <summary>An overlay of an image's layers with a fresh upper dir, mounted for COPY/ADD/WORKDIR or as a COPY --from source.</summary>
internal sealed class BuildLayer : IBuildLayer
{
    private readonly LayerStore _layers;
    private readonly ImageCommitter _committer;
    private readonly string _id;
    private readonly string? _topChain;
    private readonly ContainerLayer _dirs;
    private bool _mounted;

    private BuildLayer(LayerStore layers, ImageCommitter committer, string id, string? topChain, ContainerLayer dirs)
    {
        _layers = layers; _committer = committer; _id = id; _topChain = topChain; _dirs = dirs;
    }

    public string RootDir => _dirs.RootfsDir;

    public static BuildLayer Create(LayerStore layers, ImageCommitter committer, BuildImage image)
    {
        var id = "build-" + IdGenerator.NewId();
        var top = image.DiffIds.Count == 0 ? null : LayerStore.ChainId(image.DiffIds);
        var dirs = layers.PrepareContainerLayer(id, top);
        var layer = new BuildLayer(layers, committer, id, top, dirs);
        try
        {
            RootfsMounter.MountOverlay(dirs.LowerDirs, dirs.UpperDir, dirs.WorkDir, dirs.RootfsDir);
            layer._mounted = true;
            return layer;
        }
        catch
        {
            layers.RemoveContainerLayer(id);
            throw;
        }
    }

    public async Task<BuildLayerDiff?> CommitAsync(CancellationToken ct)
    {
        Unmount();
        var committed = await _committer.CommitLayerAsync(_dirs.UpperDir, _dirs.LowerDirs, _topChain, ct);
        return committed is null ? null : new BuildLayerDiff(committed.Layer.DiffId, committed.BlobDigest, committed.Layer.Size);
    }

    public ValueTask DisposeAsync()
    {
        Unmount();
        _layers.RemoveContainerLayer(_id);
        return ValueTask.CompletedTask;
    }

    private void Unmount()
    {
        if (!_mounted) return;
        RootfsMounter.Unmount(_dirs.RootfsDir, detach: false);
        _mounted = false;
    }
}
