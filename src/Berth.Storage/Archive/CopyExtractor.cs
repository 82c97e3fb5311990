using Berth.Core.Errors;
using Berth.Storage.Interop;
using Microsoft.Win32.SafeHandles;
using static Berth.Storage.Interop.Libc;

namespace Berth.Storage.Archive;

/// <summary>
/// Unpacks a <c>docker cp</c> tar into a directory of a <see cref="RootedTree"/>. Unlike a layer, names starting with ".wh." are
/// plain files. Each entry's parent is opened with RESOLVE_IN_ROOT on the container root, and the entry itself is created relative
/// to that descriptor without following links, so neither the archive nor symlinks in the container can reach outside the root.
/// </summary>
internal sealed class CopyExtractor(RootedTree tree, string[] destination, bool noOverwriteDirNonDir, CopyOwnership ownership)
{
    private readonly bool _privileged = Environment.IsPrivilegedProcess;
    private readonly List<(string[] Path, long Sec, uint Nsec)> _dirTimes = [];

    public async Task ExtractAsync(Stream tar, CancellationToken ct)
    {
        var reader = new TarStreamReader(tar);
        while (await reader.NextAsync(ct) is { } h)
        {
            ct.ThrowIfCancellationRequested();
            await ApplyAsync(h, reader.Data, ct);
        }
        foreach (var (path, sec, nsec) in _dirTimes)
        {
            var parent = tree.OpenDir(path.AsSpan(0, path.Length - 1), create: false);
            try { SetTimes(parent, path[^1], sec, nsec); }
            finally { Close(parent); }
        }
    }

    private async Task ApplyAsync(TarHeader h, Stream data, CancellationToken ct)
    {
        var rel = ArchivePath.Clean(h.Name);
        if (rel.Length == 0) return;   // "./": the destination itself, which exists already
        string[] full = [.. destination, .. rel];
        var name = full[^1];
        var parent = tree.OpenDir(full.AsSpan(0, full.Length - 1), create: true);
        try
        {
            var existing = Statx(parent, name, AT_SYMLINK_NOFOLLOW, StatxBuffer.MaskBasic, out var st) == 0;
            if (existing && noOverwriteDirNonDir)
            {
                if (st.Type == S_IFDIR && h.Type != TarHeader.Directory)
                    throw new InvalidArgumentException($"cannot overwrite directory \"/{string.Join('/', full)}\" with non-directory \"{h.Name}\"");
                if (st.Type != S_IFDIR && h.Type == TarHeader.Directory)
                    throw new InvalidArgumentException($"cannot overwrite non-directory \"/{string.Join('/', full)}\" with directory \"{h.Name}\"");
            }
            switch (h.Type)
            {
                case TarHeader.Directory:
                    if (existing && st.Type != S_IFDIR) Remove(parent, name, st);
                    if ((!existing || st.Type != S_IFDIR) && Mkdirat(parent, name, 0x1C0) != 0) throw LastError($"mkdir {h.Name}");
                    break;
                case TarHeader.Regular or TarHeader.Contiguous:
                    if (existing) Remove(parent, name, st);
                    await WriteFileAsync(parent, name, h, data, ct);
                    break;
                case TarHeader.Symlink:
                    if (existing) Remove(parent, name, st);
                    if (Symlinkat(h.LinkName, parent, name) != 0) throw LastError($"symlink {h.Name}");
                    break;
                case TarHeader.HardLink:
                    if (existing) Remove(parent, name, st);
                    Link(parent, name, h);
                    return;
                case TarHeader.CharDevice or TarHeader.BlockDevice or TarHeader.Fifo:
                    if (existing) Remove(parent, name, st);
                    var type = h.Type switch { TarHeader.CharDevice => S_IFCHR, TarHeader.BlockDevice => S_IFBLK, _ => S_IFIFO };
                    if (Mknodat(parent, name, type | (h.Mode & 0x1FF), MakeDev(h.DevMajor, h.DevMinor)) != 0)
                    {
                        if (!_privileged && LastErrno == EPERM && h.Type != TarHeader.Fifo) return;
                        throw LastError($"mknod {h.Name}");
                    }
                    break;
                default:
                    return;
            }
            ApplyMetadata(parent, name, full, h);
        }
        finally { Close(parent); }
    }

    private static async Task WriteFileAsync(int parent, string name, TarHeader h, Stream data, CancellationToken ct)
    {
        var fd = Openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0x180);
        if (fd < 0) throw LastError($"create {h.Name}");
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        await using var fs = new FileStream(handle, FileAccess.Write, bufferSize: 0);
        await data.CopyToAsync(fs, 128 * 1024, ct);
    }

    private void Link(int parent, string name, TarHeader h)
    {
        var target = ArchivePath.Clean(h.LinkName);
        if (target.Length == 0) throw new InvalidArgumentException($"invalid hard link {h.Name} -> {h.LinkName}");
        string[] full = [.. destination, .. target];
        var targetParent = tree.OpenDir(full.AsSpan(0, full.Length - 1), create: false);
        try
        {
            if (Linkat(targetParent, full[^1], parent, name, 0) != 0) throw LastError($"link {h.Name} -> {h.LinkName}");
        }
        finally { Close(targetParent); }
    }

    private void ApplyMetadata(int parent, string name, string[] full, TarHeader h)
    {
        var uid = ownership.Uid ?? h.Uid;
        var gid = ownership.Gid ?? h.Gid;
        if (Fchownat(parent, name, (int)uid, (int)gid, AT_SYMLINK_NOFOLLOW) != 0 && !(LastErrno == EPERM && !_privileged))
            throw LastError($"chown {h.Name}");
        if (h.Type != TarHeader.Symlink && Fchmodat(parent, name, h.Mode & 0xFFF, 0) != 0) throw LastError($"chmod {h.Name}");
        foreach (var (key, value) in h.Xattrs)
        {
            // Like Docker's Untar: xattrs the file system or our privileges refuse are skipped.
            if (Lsetxattr($"/proc/self/fd/{parent}/{name}", key, value, (nuint)value.Length, 0) != 0 && LastErrno is not (ENOTSUP or EPERM))
                throw LastError($"setxattr {key} on {h.Name}");
        }
        if (h.Type == TarHeader.Directory) _dirTimes.Add((full, h.MtimeSeconds, h.MtimeNanoseconds));
        else SetTimes(parent, name, h.MtimeSeconds, h.MtimeNanoseconds);
    }

    private static void SetTimes(int dirfd, string name, long sec, uint nsec)
    {
        ReadOnlySpan<Timespec> times = [new() { Sec = sec, Nsec = nsec }, new() { Sec = sec, Nsec = nsec }];
        if (Utimensat(dirfd, name, times, AT_SYMLINK_NOFOLLOW) != 0) throw LastError($"utimes {name}");
    }

    private static void Remove(int parent, string name, in StatxBuffer st)
    {
        if (st.Type != S_IFDIR)
        {
            if (Unlinkat(parent, name, 0) != 0) throw LastError($"remove {name}");
            return;
        }
        // Recursive delete by descriptor: the directory was reached inside the root, and nothing below is followed.
        var fd = Openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        if (fd < 0) throw LastError($"open {name}");
        try { RemoveChildren(fd); }
        finally { Close(fd); }
        if (Unlinkat(parent, name, AT_REMOVEDIR) != 0) throw LastError($"remove {name}");
    }

    private static void RemoveChildren(int dirFd)
    {
        foreach (var child in Directory.EnumerateFileSystemEntries($"/proc/self/fd/{dirFd}").Select(Path.GetFileName).OfType<string>().ToList())
        {
            if (Statx(dirFd, child, AT_SYMLINK_NOFOLLOW, StatxBuffer.MaskBasic, out var st) != 0) continue;
            Remove(dirFd, child, st);
        }
    }
}
