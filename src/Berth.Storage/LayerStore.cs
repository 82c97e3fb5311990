using System.Security.Cryptography;
using System.Text;
using Berth.Core.Errors;
using Berth.Core.Ids;
using Berth.Storage.Archive;
using Berth.Storage.Content;
using Berth.Storage.Interop;
using Berth.Storage.Snapshots;

namespace Berth.Storage;

/// <summary>
/// Unpacked layers, one directory per chain id (<c>snapshots/&lt;chain-hex&gt;/fs</c>, with a <c>meta</c> file naming its parent), stacked
/// as overlay lowerdirs; and the per-container upper/work dirs. A layer is unpacked into a temp dir and renamed into place, so
/// a visible snapshot is always complete. It does not count references: the image service decides what may be removed.
/// </summary>
public sealed class LayerStore
{
    private const string TempPrefix = ".tmp-";
    private const string RemovingPrefix = ".removing-";
    private readonly DataRoot _root;

    public LayerStore(DataRoot root)
    {
        _root = root;
        // Leftovers of a crash mid-unpack or mid-delete; none of them is visible as a snapshot.
        foreach (var dir in Directory.EnumerateDirectories(root.SnapshotsDir))
        {
            var name = Path.GetFileName(dir);
            if (name.StartsWith(TempPrefix, StringComparison.Ordinal) || name.StartsWith(RemovingPrefix, StringComparison.Ordinal))
                Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>chain(L1) = diff(L1); chain(L1..Ln) = sha256(chain(L1..Ln-1) + " " + diff(Ln)), as in the OCI image spec.</summary>
    public static string ChainId(IEnumerable<string> diffIds)
    {
        string? chain = null;
        foreach (var diff in diffIds)
            chain = chain is null ? diff : ChildChainId(chain, diff);
        return chain ?? throw new ArgumentException("no layers", nameof(diffIds));
    }

    private static string ChildChainId(string parent, string diffId) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(parent + " " + diffId)));

    public bool Exists(string chainId) => SnapshotMeta.TryRead(SnapshotDir(chainId)) is not null;

    public LayerInfo? GetLayer(string chainId) =>
        SnapshotMeta.TryRead(SnapshotDir(chainId)) is { } m ? new LayerInfo(m.DiffId, chainId, m.Size) : null;

    /// <summary>The directory holding the layer's files.</summary>
    public string LayerDir(string chainId) => Path.Join(SnapshotDir(chainId), "fs");

    public Task<LayerInfo> ApplyLayerAsync(string? parentChainId, Stream uncompressedOrCompressedTar, CancellationToken ct) =>
        ApplyLayerAsync(parentChainId, uncompressedOrCompressedTar, null, ct);

    /// <summary>
    /// Unpacks a layer on top of <paramref name="parentChainId"/>. With <paramref name="expectedDiffId"/> (a pulled image's config
    /// names it), a tar whose digest differs fails with FailedPrecondition before anything becomes visible.
    /// </summary>
    public async Task<LayerInfo> ApplyLayerAsync(string? parentChainId, Stream uncompressedOrCompressedTar, string? expectedDiffId, CancellationToken ct)
    {
        if (parentChainId is not null && !Exists(parentChainId)) throw new NotFoundException($"layer {parentChainId} not found");
        using var unpacked = await UnpackAsync(uncompressedOrCompressedTar, expectedDiffId, ct);
        return Commit(unpacked, parentChainId);
    }

    /// <summary>
    /// Unpacks a layer into a hidden temp dir, flushed to disk, diff id checked against <paramref name="expectedDiffId"/> when
    /// given. It needs nothing of its parent (whiteouts are device nodes, opaque dirs an xattr), so the layers of a pull unpack
    /// concurrently; <see cref="Commit"/> then stacks them in order. Disposing an uncommitted layer deletes it.
    /// </summary>
    public async Task<UnpackedLayer> UnpackAsync(Stream uncompressedOrCompressedTar, string? expectedDiffId, CancellationToken ct)
    {
        var tmp = Path.Join(_root.SnapshotsDir, TempPrefix + Guid.NewGuid().ToString("N"));
        var layer = new UnpackedLayer(tmp);
        try
        {
            Directory.CreateDirectory(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            await using (var plain = await Decompression.OpenAsync(uncompressedOrCompressedTar, ct))
            await using (var hashing = new HashingReadStream(plain))
            {
                using var extractor = new LayerExtractor(Path.Join(tmp, "fs"));
                await extractor.ExtractAsync(hashing, ct);
                layer.DiffId = await hashing.FinishAsync(ct);
                layer.Size = extractor.ContentSize;
                extractor.Sync();
            }
            if (expectedDiffId is not null && !string.Equals(expectedDiffId, layer.DiffId, StringComparison.Ordinal))
                throw new FailedPreconditionException($"layer verification failed: diff id {layer.DiffId} does not match {expectedDiffId} in the image config");
            return layer;
        }
        catch
        {
            layer.Dispose();
            throw;
        }
    }

    /// <summary>Makes an unpacked layer visible as the snapshot of its chain on top of <paramref name="parentChainId"/> (atomic rename).</summary>
    public LayerInfo Commit(UnpackedLayer layer, string? parentChainId)
    {
        ObjectDisposedException.ThrowIf(layer.Committed || !Directory.Exists(layer.TempDir), layer);
        if (parentChainId is not null && !Exists(parentChainId)) throw new NotFoundException($"layer {parentChainId} not found");
        var chainId = parentChainId is null ? layer.DiffId : ChildChainId(parentChainId, layer.DiffId);
        if (GetLayer(chainId) is { } existing) return existing;   // the temp dir goes when the layer is disposed

        new SnapshotMeta(layer.DiffId, parentChainId, layer.Size).Write(layer.TempDir);
        try
        {
            Directory.Move(layer.TempDir, SnapshotDir(chainId));
        }
        catch (IOException) when (GetLayer(chainId) is { } raced)
        {
            return raced;   // a concurrent unpack of the same layer won
        }
        layer.Committed = true;
        FileSync.SyncDirectory(_root.SnapshotsDir);
        return new LayerInfo(layer.DiffId, chainId, layer.Size);
    }

    /// <summary>The fs dirs of the chain, top-most first (overlay's lowerdir order).</summary>
    public IReadOnlyList<string> LowerDirs(string topChainId)
    {
        var dirs = new List<string>();
        for (string? chain = topChainId; chain is not null;)
        {
            var meta = SnapshotMeta.TryRead(SnapshotDir(chain)) ?? throw new NotFoundException($"layer {chain} not found");
            dirs.Add(LayerDir(chain));
            chain = meta.ParentChainId;
            if (dirs.Count > 1000) throw new InvalidOperationException($"layer chain of {topChainId} loops");
        }
        return dirs;
    }

    /// <summary>
    /// Creates containers/&lt;id&gt;/{upper,work,rootfs}. A container without image layers gets an empty lower dir, since overlay needs
    /// at least one.
    /// </summary>
    public ContainerLayer PrepareContainerLayer(string containerId, string? topChainId)
    {
        var lowers = topChainId is null ? null : LowerDirs(topChainId);
        var dir = _root.ContainerDir(containerId);
        const UnixFileMode dirMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead |
                                     UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var upper = CreateDir(Path.Join(dir, "upper"), dirMode);
        var work = CreateDir(Path.Join(dir, "work"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var rootfs = CreateDir(Path.Join(dir, "rootfs"), dirMode);
        lowers ??= [CreateDir(Path.Join(dir, "empty"), dirMode)];
        return new ContainerLayer(rootfs, upper, work, lowers);
    }

    /// <summary>Deletes the container's upper, work and rootfs dirs (and the container dir if nothing else is left in it).</summary>
    public void RemoveContainerLayer(string containerId)
    {
        var dir = _root.ContainerDir(containerId);
        if (!Directory.Exists(dir)) return;
        var rootfs = Path.Join(dir, "rootfs");
        // Deleting through a live overlay mount would write whiteouts into the upper dir and wreck a running container.
        if (MountPoints.IsMountPoint(rootfs)) throw new ConflictException($"container {containerId}: rootfs is still mounted");
        foreach (var sub in new[] { "rootfs", "upper", "work", "empty" }) DeleteTree(Path.Join(dir, sub));
        if (!Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
    }

    /// <summary>Removes an unpacked layer. A layer that another layer is stacked on is a Conflict.</summary>
    public void RemoveLayer(string chainId)
    {
        var dir = SnapshotDir(chainId);
        if (!Directory.Exists(dir)) return;
        foreach (var other in Directory.EnumerateDirectories(_root.SnapshotsDir))
        {
            if (SnapshotMeta.TryRead(other)?.ParentChainId == chainId)
                throw new ConflictException($"layer {chainId} is in use by layer sha256:{Path.GetFileName(other)}");
        }
        // Rename first so a crash mid-delete never leaves a partial snapshot that looks valid.
        var doomed = Path.Join(_root.SnapshotsDir, RemovingPrefix + Guid.NewGuid().ToString("N"));
        Directory.Move(dir, doomed);
        FileSync.SyncDirectory(_root.SnapshotsDir);
        DeleteTree(doomed);
    }

    /// <summary>
    /// Removes every snapshot that is neither in <paramref name="keep"/> nor below a kept one, children first; returns the
    /// chain ids it removed. For daemon start only, while nothing unpacks: a pull, load or build killed between unpacking
    /// a layer and recording its image leaves complete snapshots that no image names and nothing would ever delete.
    /// </summary>
    public IReadOnlyList<string> RemoveUnowned(IEnumerable<string> keep)
    {
        var metas = new Dictionary<string, SnapshotMeta?>(StringComparer.Ordinal);   // by hex; null: a dir without its meta
        foreach (var dir in Directory.EnumerateDirectories(_root.SnapshotsDir))
        {
            var name = Path.GetFileName(dir);
            // Only snapshot-shaped names are ours to judge; temp and removal dirs went in the constructor.
            if (Digest.TryParse("sha256:" + name, out _)) metas[name] = SnapshotMeta.TryRead(dir);
        }
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chain in keep)
        {
            // A kept snapshot's parents stay with it, whatever the records say.
            for (var hex = Hex(chain); hex is not null && kept.Add(hex);)
                hex = metas.GetValueOrDefault(hex)?.ParentChainId is { } parent ? Hex(parent) : null;
        }
        var removed = new List<string>();
        foreach (var hex in metas.Keys.Where(h => !kept.Contains(h)).OrderByDescending(h => Depth(h, metas)))
        {
            var doomed = Path.Join(_root.SnapshotsDir, RemovingPrefix + Guid.NewGuid().ToString("N"));
            Directory.Move(Path.Join(_root.SnapshotsDir, hex), doomed);
            removed.Add("sha256:" + hex);
            DeleteTree(doomed);
        }
        if (removed.Count > 0) FileSync.SyncDirectory(_root.SnapshotsDir);
        return removed;

        static string? Hex(string chainId) => Digest.TryParse(chainId, out var d) ? d.Encoded : null;
    }

    /// <summary>How many parents a snapshot stands on (a missing or looping chain just ends the count).</summary>
    private static int Depth(string hex, Dictionary<string, SnapshotMeta?> metas)
    {
        var depth = 0;
        for (var parent = metas.GetValueOrDefault(hex)?.ParentChainId; parent is not null && depth < 1000; depth++)
            parent = Digest.TryParse(parent, out var d) ? metas.GetValueOrDefault(d.Encoded)?.ParentChainId : null;
        return depth;
    }

    private string SnapshotDir(string chainId)
    {
        var d = Digest.Parse(chainId);
        return Path.Join(_root.SnapshotsDir, d.Encoded);
    }

    private static string CreateDir(string path, UnixFileMode mode)
    {
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, mode);   // CreateDirectory's mode is subject to the umask
        return path;
    }

    internal static void DeleteTree(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }
}
