using Berth.Storage.Archive;

namespace Berth.Storage;

/// <summary>
/// Unpacks an image layer tar (plain or gzip, detected) into a directory, keeping owners (when root), modes with
/// setuid/setgid/sticky and no umask, mtimes, binary xattrs, hard links, symlinks and device nodes. OCI whiteouts become overlay
/// whiteouts (char 0/0, <c>trusted.overlay.opaque=y</c>). Nothing is written outside <c>targetDir</c>: a <c>..</c> that climbs out
/// is refused with InvalidArgumentException; absolute names and symlinks are resolved inside the target.
/// </summary>
public static class LayerTarReader
{
    public static async Task ExtractAsync(Stream tar, string targetDir, CancellationToken ct)
    {
        await using var plain = await Decompression.OpenAsync(tar, ct);
        using var extractor = new LayerExtractor(targetDir);
        await extractor.ExtractAsync(plain, ct);
    }
}
