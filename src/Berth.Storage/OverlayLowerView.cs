using Berth.Core.Paths;
using Berth.Storage.Interop;
using static Berth.Storage.Interop.Libc;

namespace Berth.Storage;

/// <summary>
/// The merged view of an overlay's lower dirs (topmost first, as <see cref="LayerStore.LowerDirs"/> lists them) read without
/// mounting it: a whiteout (char 0/0) or an opaque directory in one layer hides what the layers below hold at that path, and a
/// non-directory hides anything under it. Used to tell what a container's root held before it ran.
/// </summary>
internal static class OverlayLowerView
{
    private const string OpaqueXattr = "trusted.overlay.opaque";

    /// <summary>The host path of <paramref name="rel"/> in the topmost layer that provides it; null when the view has nothing there.</summary>
    public static string? Find(IReadOnlyList<string> lowers, string rel)
    {
        var parts = rel.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return lowers.Count > 0 ? lowers[0] : null;
        foreach (var lower in lowers)
        {
            var hidesBelow = false;
            var path = lower;
            for (var i = 0; i < parts.Length; i++)
            {
                path = Path.Join(path, parts[i]);
                if (Statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, StatxBuffer.MaskBasic, out var st) != 0) break;   // not in this layer
                if (st.Type == S_IFCHR && st.RdevMajor == 0 && st.RdevMinor == 0) return null;               // deleted here
                if (i == parts.Length - 1) return path;
                if (st.Type != S_IFDIR) return null;
                if (IsOpaque(path)) hidesBelow = true;
            }
            if (hidesBelow) return null;
        }
        return null;
    }

    /// <summary>
    /// <paramref name="path"/> (absolute in the container) with every symlink followed inside the root, the last one too, as the
    /// runtime does when it makes a mount point; the result is relative to the root, without a leading slash.
    /// </summary>
    public static string Resolve(IReadOnlyList<string> lowers, string path) =>
        ScopedPath.Follow(rel => Find(lowers, rel) is { } host ? new FileInfo(host).LinkTarget : null, path);

    internal static bool IsOpaque(string path)
    {
        Span<byte> value = stackalloc byte[4];
        var n = Lgetxattr(path, OpaqueXattr, value, (nuint)value.Length);
        return n == 1 && value[0] == (byte)'y';
    }
}
