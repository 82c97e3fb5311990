using Berth.Storage.Interop;
using static Berth.Storage.Interop.Libc;

namespace Berth.Storage;

/// <summary>What <c>docker diff</c> prints for one path: Kind 0 = changed (C), 1 = added (A), 2 = deleted (D).</summary>
public readonly record struct FsChange(string Path, int Kind)
{
    public const int Modified = 0, Added = 1, Deleted = 2;
}

/// <summary>
/// A container's filesystem changes read from its overlay upper dir against the image's lower dirs, the way Docker's overlay2
/// driver reports them: a whiteout (char device 0/0) is a deletion, an entry absent from every lower dir an addition, one present
/// a change; a directory that exists below is reported only when something under it changed or its mode/owner did. The mount
/// points the runtime makes when the image lacks them (Docker keeps those in a hidden init layer) are not changes.
/// Paths are absolute and in walk order: a directory before its entries, siblings in ordinal order.
/// </summary>
public static class OverlayChanges
{
    private static readonly HashSet<string> StubFiles = ["/etc/hosts", "/etc/hostname", "/etc/resolv.conf", "/.dockerenv", "/etc/mtab"];
    private static readonly HashSet<string> StubDirs = ["/dev", "/proc", "/sys", "/dev/pts", "/dev/shm"];

    public static IReadOnlyList<FsChange> Compute(string upperDir, IReadOnlyList<string> lowerDirs)
    {
        var changes = new List<FsChange>();
        if (Directory.Exists(upperDir)) Walk(upperDir, lowerDirs, "", changes);
        return changes;
    }

    /// <summary>Appends the changes under <paramref name="rel"/>; returns false when the directory held only runtime stubs.</summary>
    private static bool Walk(string upper, IReadOnlyList<string> lowers, string rel, List<FsChange> changes)
    {
        var names = Directory.EnumerateFileSystemEntries(Path.Join(upper, rel)).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var anyReal = names.Count == 0;
        foreach (var name in names)
        {
            var path = rel + "/" + name;
            if (Statx(AT_FDCWD, Path.Join(upper, path), AT_SYMLINK_NOFOLLOW, StatxBuffer.MaskBasic, out var st) != 0) continue;   // gone meanwhile
            if (st.Type == S_IFCHR && st.RdevMajor == 0 && st.RdevMinor == 0)
            {
                changes.Add(new FsChange(path, FsChange.Deleted));
                anyReal = true;
                continue;
            }
            var below = FindBelow(lowers, path);
            if (below is null && IsRuntimeStub(path, st)) continue;
            if (st.Type != S_IFDIR)
            {
                changes.Add(new FsChange(path, below is null ? FsChange.Added : FsChange.Modified));
                anyReal = true;
                continue;
            }

            var at = changes.Count;
            var childrenReal = Walk(upper, lowers, path, changes);
            if (below is null)
            {
                if (!childrenReal) continue;   // made only to hold the runtime's mount points
                changes.Insert(at, new FsChange(path, FsChange.Added));
            }
            else if (changes.Count > at || AttributesDiffer(st, below.Value))
            {
                changes.Insert(at, new FsChange(path, FsChange.Modified));
            }
            anyReal = true;
        }
        return anyReal;
    }

    private static StatxBuffer? FindBelow(IReadOnlyList<string> lowers, string path)
    {
        foreach (var lower in lowers)
        {
            if (Statx(AT_FDCWD, Path.Join(lower, path), AT_SYMLINK_NOFOLLOW, StatxBuffer.MaskBasic, out var st) == 0) return st;
        }
        return null;
    }

    private static bool IsRuntimeStub(string path, in StatxBuffer st) =>
        (st.Type == S_IFDIR && StubDirs.Contains(path)) || (st.Type != S_IFDIR && st.Size == 0 && StubFiles.Contains(path));

    private static bool AttributesDiffer(in StatxBuffer upper, in StatxBuffer lower) =>
        upper.Mode != lower.Mode || upper.Uid != lower.Uid || upper.Gid != lower.Gid;
}
