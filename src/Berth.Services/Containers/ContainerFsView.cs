using Berth.Storage.Archive;

namespace Berth.Services.Containers;

/// <summary>
/// A container's files for <c>docker cp</c> and volume copy-up: <c>/proc/&lt;pid&gt;/root</c> of a running container (its live view,
/// volumes included), or for a stopped one its rootfs and volumes mounted in a private mount namespace that vanishes on dispose.
/// </summary>
internal sealed class ContainerFsView(RootedTree tree, PrivateMountNamespace? ns) : IDisposable
{
    public RootedTree Tree => tree;

    public void Dispose()
    {
        tree.Dispose();   // first: the descriptor pins the private mounts
        ns?.Dispose();
    }
}
