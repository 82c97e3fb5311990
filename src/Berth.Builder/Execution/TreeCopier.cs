using Berth.Builder.Interop;

namespace Berth.Builder.Execution;

/// <summary>
/// Writes COPY/ADD sources into a mounted root the way moby's performCopyForInfo does: a directory's contents are copied into
/// the destination, a file lands at the destination (or inside it when it is a directory or ends in "/"), parents are created
/// 0755 and owned by the copy identity. Destination components are checked with lstat and never followed out of the root.
/// </summary>
internal static class TreeCopier
{
    public static void CopyDirectoryContents(string srcDir, string destDir, CopyIdentity identity, UnixFileMode? chmod)
    {
        var existed = IsRealDirectory(destDir);
        EnsureDirectory(destDir, identity, chmod);
        if (!existed) ApplyOwner(destDir, srcDir, identity);
        CopyChildren(srcDir, destDir, identity, chmod);
        if (!existed) File.SetLastWriteTimeUtc(destDir, Directory.GetLastWriteTimeUtc(srcDir));
    }

    public static void CopyFile(string srcFile, string destFile, CopyIdentity identity, UnixFileMode? chmod)
    {
        MakeParents(Path.GetDirectoryName(destFile)!, identity);
        CopyEntry(srcFile, destFile, identity, chmod, followSource: true);
    }

    /// <summary>Creates missing parents 0755, owned by the identity (only the new ones, as moby's MkdirAllAndChownNew).</summary>
    public static void MakeParents(string dir, CopyIdentity identity)
    {
        if (IsRealDirectory(dir)) return;
        MakeParents(Path.GetDirectoryName(dir)!, identity);
        RemoveNonDirectory(dir);
        Directory.CreateDirectory(dir);
        if (!identity.Preserve) Libc.LchownOrThrow(dir, identity.Uid, identity.Gid);
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
    }

    public static bool IsRealDirectory(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is null && (info.Attributes & FileAttributes.Directory) != 0 && Directory.Exists(path);
    }

    private static void CopyChildren(string srcDir, string destDir, CopyIdentity identity, UnixFileMode? chmod)
    {
        foreach (var src in Directory.EnumerateFileSystemEntries(srcDir).Order(StringComparer.Ordinal))
            CopyEntry(src, Path.Join(destDir, Path.GetFileName(src)), identity, chmod, followSource: false);
    }

    private static void CopyEntry(string src, string dest, CopyIdentity identity, UnixFileMode? chmod, bool followSource)
    {
        var info = new FileInfo(src);
        var link = followSource ? null : info.LinkTarget;
        if (link is not null)
        {
            RemoveAny(dest);
            File.CreateSymbolicLink(dest, link);
            ApplyOwner(dest, src, identity);
            return;
        }
        if (Directory.Exists(src))
        {
            var existed = IsRealDirectory(dest);
            if (!existed)
            {
                RemoveAny(dest);
                Directory.CreateDirectory(dest);
            }
            ApplyOwner(dest, src, identity);
            File.SetUnixFileMode(dest, chmod ?? File.GetUnixFileMode(src));
            CopyChildren(src, dest, identity, chmod);
            File.SetLastWriteTimeUtc(dest, Directory.GetLastWriteTimeUtc(src));
            return;
        }
        if (!File.Exists(src)) return; // sockets, devices and dangling links are not copied
        RemoveAny(dest);
        File.Copy(src, dest);
        ApplyOwner(dest, src, identity);
        File.SetUnixFileMode(dest, chmod ?? File.GetUnixFileMode(src));
        File.SetLastWriteTimeUtc(dest, File.GetLastWriteTimeUtc(src));
    }

    private static void EnsureDirectory(string dir, CopyIdentity identity, UnixFileMode? chmod)
    {
        if (IsRealDirectory(dir)) return;
        MakeParents(Path.GetDirectoryName(dir)!, identity);
        RemoveNonDirectory(dir);
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, chmod ?? (UnixFileMode)0b111_101_101);
    }

    private static void ApplyOwner(string dest, string src, CopyIdentity identity)
    {
        if (identity.Preserve)
        {
            var st = new FileInfo(src);
            var (uid, gid) = Owner(src);
            if (st.Exists || st.LinkTarget is not null || Directory.Exists(src)) Libc.LchownOrThrow(dest, uid, gid);
        }
        else Libc.LchownOrThrow(dest, identity.Uid, identity.Gid);
    }

    private static (int Uid, int Gid) Owner(string path)
    {
        if (Libc.Lstat(path, out var uid, out var gid) != 0) return (0, 0);
        return (uid, gid);
    }

    private static void RemoveNonDirectory(string path)
    {
        if (!IsRealDirectory(path)) RemoveAny(path);
    }

    private static void RemoveAny(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || File.Exists(path)) File.Delete(path);
        else if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }
}
