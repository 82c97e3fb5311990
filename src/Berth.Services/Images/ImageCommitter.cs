using System.IO.Pipelines;
using System.Text;
using Berth.Core.Ids;
using Berth.Storage;

namespace Berth.Services.Images;

/// <summary>A layer committed from a container's upper dir: the unpacked layer and the stored (uncompressed) blob's digest.</summary>
public sealed record CommittedLayer(LayerInfo Layer, string BlobDigest);

/// <summary>
/// Turns a container's changes into a layer and layers plus a config into an image (build steps, and <c>docker commit</c>).
/// The upper dir is archived with overlay whiteouts translated to OCI ones, stored as a blob and unpacked onto the parent chain.
/// </summary>
public sealed class ImageCommitter(MetadataStore meta, ContentStore content, LayerStore layers)
{
    private static readonly string[] MountStubFiles = ["etc/hostname", "etc/hosts", "etc/resolv.conf", ".dockerenv"];
    private static readonly string[] MountStubDirs = ["dev", "proc", "sys"];

    /// <summary>Commits an upper dir on top of <paramref name="parentChainId"/>; null when the container changed nothing.</summary>
    public async Task<CommittedLayer?> CommitLayerAsync(string upperDir, IReadOnlyList<string> lowerDirs, string? parentChainId, CancellationToken ct)
    {
        RemoveMountStubs(upperDir, lowerDirs);
        if (!Directory.EnumerateFileSystemEntries(upperDir).Any()) return null;

        var pipe = new Pipe();
        var producer = Task.Run(async () =>
        {
            try
            {
                await using var output = pipe.Writer.AsStream(leaveOpen: true);
                await RootfsTarWriter.WriteAsync(upperDir, output, ct);
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception ex)
            {
                await pipe.Writer.CompleteAsync(ex);
                throw;
            }
        }, ct);
        Digest blob;
        await using (var input = pipe.Reader.AsStream())
            blob = await content.WriteAsync(input, null, ct);
        await producer;
        LayerInfo layer;
        await using (var stored = content.OpenRead(blob))
            layer = await layers.ApplyLayerAsync(parentChainId, stored, ct);
        return new CommittedLayer(layer, blob.ToString());
    }

    /// <summary>Stores the config blob and the image record; the id is the config's digest.</summary>
    public async Task<ImageRecord> StoreImageAsync(byte[] configJson, IReadOnlyList<string> diffIds, IReadOnlyList<string> layerDigests, string? parentId,
        DateTimeOffset created, CancellationToken ct)
    {
        var digest = await content.WriteAsync(new MemoryStream(configJson), null, ct);
        long size = 0;
        for (var i = 1; i <= diffIds.Count; i++) size += layers.GetLayer(LayerStore.ChainId(diffIds.Take(i)))?.Size ?? 0;
        var record = new ImageRecord(digest.ToString(), Encoding.UTF8.GetString(configJson), diffIds, layerDigests, parentId, created, size);
        meta.PutImage(record);
        return record;
    }

    /// <summary>
    /// The runtime creates mount points for /etc/hosts, /etc/hostname, /etc/resolv.conf, /dev, /proc and /sys when the image
    /// lacks them; Docker keeps those in a separate init layer, so they must not end up in a build step's layer. Directories left
    /// empty and unchanged by that (copied up only to hold a stub) go too.
    /// </summary>
    private static void RemoveMountStubs(string upper, IReadOnlyList<string> lowers)
    {
        foreach (var rel in MountStubFiles)
        {
            var path = Path.Join(upper, rel);
            var info = new FileInfo(path);
            if (info.Exists && info.LinkTarget is null && info.Length == 0 && !lowers.Any(l => Path.Exists(Path.Join(l, rel)))) File.Delete(path);
        }
        foreach (var rel in MountStubDirs)
        {
            var path = Path.Join(upper, rel);
            if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null && !Directory.EnumerateFileSystemEntries(path).Any() &&
                !lowers.Any(l => Directory.Exists(Path.Join(l, rel))))
                Directory.Delete(path);
        }
        var etc = Path.Join(upper, "etc");
        if (Directory.Exists(etc) && !Directory.EnumerateFileSystemEntries(etc).Any() && SameAsLower(etc, "etc", lowers)) Directory.Delete(etc);
    }

    private static bool SameAsLower(string upperPath, string rel, IReadOnlyList<string> lowers)
    {
        foreach (var lower in lowers)
        {
            var path = Path.Join(lower, rel);
            if (!Directory.Exists(path)) continue;
            return File.GetUnixFileMode(path) == File.GetUnixFileMode(upperPath);
        }
        return false;
    }
}
