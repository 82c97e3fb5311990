using System.IO.Compression;
using System.Security.Cryptography;
using Berth.Core.Errors;
using Berth.Storage;
using static Berth.Tests.Storage.TarBuilder;

namespace Berth.Tests.Storage;

public sealed class LayerStoreTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly DataRoot _root;
    private readonly LayerStore _layers;

    public LayerStoreTests()
    {
        _root = new DataRoot(_dir.Path);
        _layers = new LayerStore(_root);
    }

    public void Dispose() => _dir.Dispose();

    private static string Sha(byte[] b) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(b));

    [Fact]
    public async Task Apply_ComputesDiffIdAndChainId_AndStacks()
    {
        var l1 = Build(File("a", "1")).ToArray();
        var l2 = Build(File("b", "2")).ToArray();
        var i1 = await _layers.ApplyLayerAsync(null, new MemoryStream(l1), CancellationToken.None);
        Assert.Equal(Sha(l1), i1.DiffId);
        Assert.Equal(i1.DiffId, i1.ChainId);
        Assert.Equal(1, i1.Size);

        var i2 = await _layers.ApplyLayerAsync(i1.ChainId, new MemoryStream(Gzip(l2)), CancellationToken.None);
        Assert.Equal(Sha(l2), i2.DiffId);   // the diff id is of the uncompressed tar
        Assert.Equal(LayerStore.ChainId([i1.DiffId, i2.DiffId]), i2.ChainId);
        Assert.Equal(Sha(System.Text.Encoding.UTF8.GetBytes(i1.ChainId + " " + i2.DiffId)), i2.ChainId);

        var lowers = _layers.LowerDirs(i2.ChainId);
        Assert.Equal([Path.Join(_root.SnapshotsDir, i2.ChainId[7..], "fs"), Path.Join(_root.SnapshotsDir, i1.ChainId[7..], "fs")], lowers);
        Assert.Equal("2", System.IO.File.ReadAllText(Path.Join(lowers[0], "b")));
        Assert.Equal("1", System.IO.File.ReadAllText(Path.Join(lowers[1], "a")));
        Assert.DoesNotContain(Directory.EnumerateDirectories(_root.SnapshotsDir), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public async Task Apply_SameLayerTwice_IsNoOp()
    {
        var l1 = Build(File("a", "1")).ToArray();
        var a = await _layers.ApplyLayerAsync(null, new MemoryStream(l1), CancellationToken.None);
        var b = await _layers.ApplyLayerAsync(null, new MemoryStream(l1), CancellationToken.None);
        Assert.Equal(a, b);
        Assert.Single(Directory.EnumerateDirectories(_root.SnapshotsDir));
    }

    [Fact]
    public async Task Apply_MaliciousLayer_LeavesNoSnapshot()
    {
        await Assert.ThrowsAsync<InvalidArgumentException>(() => _layers.ApplyLayerAsync(null, Build(File("../x", "bad")), CancellationToken.None));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root.SnapshotsDir));
    }

    [Fact]
    public async Task Apply_UnknownParent_ThrowsNotFound()
    {
        var missing = "sha256:" + new string('a', 64);
        await Assert.ThrowsAsync<NotFoundException>(() => _layers.ApplyLayerAsync(missing, Build(File("a", "1")), CancellationToken.None));
    }

    [Fact]
    public async Task PrepareContainerLayer_CreatesDirs_RemoveCleansUp()
    {
        var i1 = await _layers.ApplyLayerAsync(null, Build(File("a", "1")), CancellationToken.None);
        var id = new string('c', 64);
        var layer = _layers.PrepareContainerLayer(id, i1.ChainId);
        Assert.True(Directory.Exists(layer.UpperDir) && Directory.Exists(layer.WorkDir) && Directory.Exists(layer.RootfsDir));
        Assert.Equal(Path.Join(_root.ContainersDir, id, "rootfs"), layer.RootfsDir);
        Assert.Equal(_layers.LowerDirs(i1.ChainId), layer.LowerDirs);

        _layers.RemoveContainerLayer(id);
        Assert.False(Directory.Exists(_root.ContainerDir(id)));
    }

    [Fact]
    public void PrepareContainerLayer_NoImageLayers_GetsEmptyLower()
    {
        var layer = _layers.PrepareContainerLayer("scratchy", null);
        var lower = Assert.Single(layer.LowerDirs);
        Assert.Empty(Directory.EnumerateFileSystemEntries(lower));
        _layers.RemoveContainerLayer("scratchy");
    }

    [Fact]
    public void PrepareContainerLayer_BadId_Refused() =>
        Assert.Throws<InvalidArgumentException>(() => _layers.PrepareContainerLayer("../x", null));

    [Fact]
    public async Task RemoveLayer_RefusesParentOfAnother_ThenRemovesTopDown()
    {
        var i1 = await _layers.ApplyLayerAsync(null, Build(File("a", "1")), CancellationToken.None);
        var i2 = await _layers.ApplyLayerAsync(i1.ChainId, Build(File("b", "2")), CancellationToken.None);
        Assert.Throws<ConflictException>(() => _layers.RemoveLayer(i1.ChainId));
        _layers.RemoveLayer(i2.ChainId);
        _layers.RemoveLayer(i1.ChainId);
        Assert.False(_layers.Exists(i1.ChainId));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root.SnapshotsDir));
    }

    [Fact]
    public void Constructor_CleansCrashLeftovers()
    {
        Directory.CreateDirectory(Path.Join(_root.SnapshotsDir, ".tmp-123", "fs"));
        Directory.CreateDirectory(Path.Join(_root.SnapshotsDir, ".removing-456"));
        _ = new LayerStore(_root);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root.SnapshotsDir));
    }

    [Fact]
    public async Task RemoveUnowned_KeepsKeptChainsWithTheirParents_RemovesTheRestTopDown()
    {
        var base1 = await _layers.ApplyLayerAsync(null, Build(File("a", "1")), CancellationToken.None);
        var kept = await _layers.ApplyLayerAsync(base1.ChainId, Build(File("b", "2")), CancellationToken.None);
        // An interrupted pull: two layers stacked on the kept one, and an unrelated base layer, none recorded anywhere.
        var orphan1 = await _layers.ApplyLayerAsync(kept.ChainId, Build(File("c", "3")), CancellationToken.None);
        var orphan2 = await _layers.ApplyLayerAsync(orphan1.ChainId, Build(File("d", "4")), CancellationToken.None);
        var orphanBase = await _layers.ApplyLayerAsync(null, Build(File("e", "5")), CancellationToken.None);
        var notOurs = Directory.CreateDirectory(Path.Join(_root.SnapshotsDir, "not-a-snapshot")).FullName;

        var removed = _layers.RemoveUnowned([kept.ChainId]);

        Assert.Equal(3, removed.Count);
        Assert.True(removed.ToList().IndexOf(orphan2.ChainId) < removed.ToList().IndexOf(orphan1.ChainId), "children go first");
        Assert.Contains(orphanBase.ChainId, removed);
        Assert.True(_layers.Exists(kept.ChainId) && _layers.Exists(base1.ChainId), "the kept chain and its parent stay");
        Assert.Equal("2", System.IO.File.ReadAllText(Path.Join(_layers.LayerDir(kept.ChainId), "b")));
        Assert.False(_layers.Exists(orphan1.ChainId) || _layers.Exists(orphan2.ChainId) || _layers.Exists(orphanBase.ChainId));
        Assert.True(Directory.Exists(notOurs), "a name that is no chain id is left alone");
        Assert.DoesNotContain(Directory.EnumerateDirectories(_root.SnapshotsDir), d => Path.GetFileName(d).StartsWith('.'));
        Assert.Empty(_layers.RemoveUnowned([kept.ChainId]));
    }

    private static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var z = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) z.Write(data);
        return ms.ToArray();
    }
}
