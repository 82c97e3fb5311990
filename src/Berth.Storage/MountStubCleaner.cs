using Berth.Storage.Interop;
using static Berth.Storage.Interop.Libc;

namespace Berth.Storage;

/// <summary>
/// Takes the mount points the runtime made for a build step's mounts (<c>RUN --mount=…</c>) back out of the container's upper dir
/// before it becomes a layer, as BuildKit's executor does (executor/stubs.go): each target, and each missing parent, that did not
/// exist in the image and is still an empty directory or an empty file. Parents that did exist were only copied up to hold the
/// new entry; once empty again and unchanged in owner and mode they leave the upper dir too, so the layer does not list them.
/// Anything the step wrote next to a mount point keeps that path (and its parents) in the layer.
/// </summary>
public static class MountStubCleaner
{
    /// <param name="upper">The container's upper dir (the container has stopped).</param>
    /// <param name="lowers">Its image's layer dirs, topmost first: what the root held before the step ran.</param>
    /// <param name="targets">The mount targets, absolute paths inside the container.</param>
    public static void Remove(string upper, IReadOnlyList<string> lowers, IEnumerable<string> targets)
    {
        // Deepest first, so /a/b/c goes before /a/b when both are targets.
        foreach (var target in targets.Select(t => OverlayLowerView.Resolve(lowers, t)).Distinct().OrderByDescending(t => t.Length))
            RemoveOne(upper, lowers, target.Split('/', StringSplitOptions.RemoveEmptyEntries));
    }

    private static void RemoveOne(string upper, IReadOnlyList<string> lowers, string[] parts)
    {
        var n = parts.Length;
        for (; n > 0; n--)
        {
            var rel = string.Join('/', parts[..n]);
            if (OverlayLowerView.Find(lowers, rel) is not null) break;       // the image had it: not a stub
            if (!TryRemoveEmpty(Path.Join(upper, rel))) return;             // written to (or gone): it and its parents stay
        }
        for (; n > 0; n--)
        {
            var rel = string.Join('/', parts[..n]);
            if (!TryRemoveCopiedUp(Path.Join(upper, rel), OverlayLowerView.Find(lowers, rel))) return;
        }
    }

    /// <summary>Removes an empty directory or empty regular file; false when the path holds anything (or is missing).</summary>
    private static bool TryRemoveEmpty(string path)
    {
        if (Statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, StatxBuffer.MaskBasic, out var st) != 0) return false;
        if (st.Type == S_IFDIR)
        {
            if (Directory.EnumerateFileSystemEntries(path).Any()) return false;
            Directory.Delete(path);
            return true;
        }
        if (st.Type != S_IFREG || st.Size != 0) return false;
        File.Delete(path);
        return true;
    }

    /// <summary>
    /// Removes an upper directory that only shadows <paramref name="lower"/> unchanged: empty (no entries, no whiteouts), not
    /// opaque, same type, owner and mode. Without it the merged view shows the lower one again, as before the step.
    /// </summary>
    private static bool TryRemoveCopiedUp(string path, string? lower)
    {
        if (lower is null) return false;
        if (Statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, StatxBuffer.MaskBasic, out var up) != 0 || up.Type != S_IFDIR) return false;
        if (Statx(AT_FDCWD, lower, AT_SYMLINK_NOFOLLOW, StatxBuffer.MaskBasic, out var below) != 0 || below.Type != S_IFDIR) return false;
        if (up.Mode != below.Mode || up.Uid != below.Uid || up.Gid != below.Gid) return false;
        if (OverlayLowerView.IsOpaque(path) || Directory.EnumerateFileSystemEntries(path).Any()) return false;
        Directory.Delete(path);
        return true;
    }
}
