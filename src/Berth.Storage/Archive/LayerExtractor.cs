using Berth.Core.Errors;
using Berth.Storage.Content;
using Berth.Storage.Interop;
using Microsoft.Win32.SafeHandles;
using static Berth.Storage.Interop.Libc;

namespace Berth.Storage.Archive;

/// <summary>
/// Unpacks a layer tar into a directory. Every parent directory is opened with openat2(RESOLVE_IN_ROOT), so the kernel resolves
/// names and symlinks as if the target were "/" (a link to "/" or "../../.." stays inside), and the last component is then
/// created relative to that descriptor without following links. Nothing can be written outside the target.
/// </summary>
internal sealed class LayerExtractor : IDisposable
{
    private const string WhiteoutPrefix = ".wh.";
    private const string WhiteoutMetaPrefix = ".wh..wh.";
    private const string OpaqueWhiteout = ".wh..wh..opq";
    private const string OpaqueXattr = "trusted.overlay.opaque";

    private readonly string _rootPath;
    private readonly int _rootFd;
    private readonly bool _privileged = Environment.IsPrivilegedProcess;
    private readonly List<(string[] Path, long Sec, uint Nsec)> _dirTimes = [];

    public LayerExtractor(string targetDir)
    {
        Directory.CreateDirectory(targetDir);
        _rootPath = Path.GetFullPath(targetDir);
        _rootFd = Open(_rootPath, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        if (_rootFd < 0) throw LastError($"open {_rootPath}");
    }

    /// <summary>Bytes of regular-file content written (the layer's size as Docker reports it).</summary>
    public long ContentSize { get; private set; }

    public async Task ExtractAsync(Stream tar, CancellationToken ct)
    {
        var reader = new TarStreamReader(tar);
        while (await reader.NextAsync(ct) is { } h)
        {
            ct.ThrowIfCancellationRequested();
            await ApplyAsync(h, reader.Data, ct);
        }
        // Directory times last: creating children changed them.
        foreach (var (path, sec, nsec) in _dirTimes) SetTimes(path, sec, nsec);
    }

    /// <summary>Flushes everything written to this file system, before the caller publishes the directory with a rename.</summary>
    public void Sync()
    {
        // syncfs needs a real descriptor; the O_PATH one is refused with EBADF.
        var fd = Open(_rootPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        if (fd < 0) throw LastError($"open {_rootPath}");
        try
        {
            if (Syncfs(fd) != 0) throw LastError($"syncfs {_rootPath}");
        }
        finally
        {
            Close(fd);
        }
    }

    public void Dispose() => Close(_rootFd);

    private async Task ApplyAsync(TarHeader h, Stream data, CancellationToken ct)
    {
        var parts = ArchivePath.Clean(h.Name);
        if (parts.Length == 0)
        {
            if (h.Type == TarHeader.Directory) ApplyRootMetadata(h);
            return;
        }

        var name = parts[^1];
        using var parent = OpenDir(parts.AsSpan(0, parts.Length - 1), create: true);
        var pfd = parent.Fd;
        if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            ApplyWhiteout(pfd, name, h);
            return;
        }

        switch (h.Type)
        {
            case TarHeader.Directory:
                if (!RemoveExisting(pfd, name, keepDirectory: true) && Mkdirat(pfd, name, 0x1C0 /* 0700 */) != 0) throw LastError($"mkdir {h.Name}");
                break;
            case TarHeader.Regular or TarHeader.Contiguous:
                RemoveExisting(pfd, name, keepDirectory: false);
                await WriteFileAsync(pfd, name, h, data, ct);
                break;
            case TarHeader.Symlink:
                RemoveExisting(pfd, name, keepDirectory: false);
                if (Symlinkat(h.LinkName, pfd, name) != 0) throw LastError($"symlink {h.Name}");
                break;
            case TarHeader.HardLink:
                CreateHardLink(pfd, name, h);
                return;   // shares the target's inode and metadata
            case TarHeader.CharDevice or TarHeader.BlockDevice or TarHeader.Fifo:
                RemoveExisting(pfd, name, keepDirectory: false);
                var type = h.Type switch { TarHeader.CharDevice => S_IFCHR, TarHeader.BlockDevice => S_IFBLK, _ => S_IFIFO };
                if (Mknodat(pfd, name, type | (h.Mode & 0x1FF /* 0777 */), MakeDev(h.DevMajor, h.DevMinor)) != 0)
                {
                    // Unprivileged unpacking (tests, rootless) cannot make devices; Docker's rootless mode skips them too.
                    if (!_privileged && LastErrno == EPERM && h.Type != TarHeader.Fifo) return;
                    throw LastError($"mknod {h.Name}");
                }
                break;
            default:
                return;   // volume labels and vendor types carry no file
        }

        ApplyMetadata(pfd, name, parts, h);
    }

    private async Task WriteFileAsync(int pfd, string name, TarHeader h, Stream data, CancellationToken ct)
    {
        var fd = Openat(pfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0x180 /* 0600 */);
        if (fd < 0) throw LastError($"create {h.Name}");
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        await using var fs = new FileStream(handle, FileAccess.Write, bufferSize: 0);
        await data.CopyToAsync(fs, 128 * 1024, ct);
        Writeback.Start(handle, 0, h.Size);   // a big file goes to disk while the rest unpacks; Sync() then waits less
        ContentSize += h.Size;
    }

    private void CreateHardLink(int pfd, string name, TarHeader h)
    {
        var target = ArchivePath.Clean(h.LinkName);
        if (target.Length == 0) throw new InvalidArgumentException($"invalid hard link {h.Name} -> {h.LinkName}");
        if (target.AsSpan().SequenceEqual(ArchivePath.Clean(h.Name))) return;
        var missing = new InvalidArgumentException($"invalid hard link {h.Name}: target {h.LinkName} is not in the archive");
        if (!TryOpenDir(target.AsSpan(0, target.Length - 1), out var targetParent)) throw missing;
        using var parentHandle = targetParent;
        if (Statx(parentHandle.Fd, target[^1], AT_SYMLINK_NOFOLLOW, StatxBuffer.MaskBasic, out _) != 0) throw missing;
        RemoveExisting(pfd, name, keepDirectory: false);
        // Flags 0: a link to a symlink links the symlink itself, as tar means.
        if (Linkat(targetParent.Fd, target[^1], pfd, name, 0) != 0) throw LastError($"link {h.Name} -> {h.LinkName}");
    }

    private void ApplyWhiteout(int pfd, string name, TarHeader h)
    {
        if (name == OpaqueWhiteout)
        {
            // The parent directory hides everything below it in lower layers.
            if (Setxattr($"/proc/self/fd/{pfd}", OpaqueXattr, "y"u8, 1, 0) != 0) throw LastError($"set {OpaqueXattr} on {h.Name}");
            return;
        }
        if (name.StartsWith(WhiteoutMetaPrefix, StringComparison.Ordinal)) return;   // aufs bookkeeping (.wh..wh.plnk, ...)

        var victim = name[WhiteoutPrefix.Length..];
        if (victim is "" or "." or "..") throw new InvalidArgumentException($"invalid whiteout {h.Name}");
        RemoveExisting(pfd, victim, keepDirectory: false);
        // overlayfs whiteout: a 0/0 character device.
        if (Mknodat(pfd, victim, S_IFCHR, 0) != 0) throw LastError($"whiteout {h.Name}");
        if (_privileged && Fchownat(pfd, victim, (int)h.Uid, (int)h.Gid, AT_SYMLINK_NOFOLLOW) != 0) throw LastError($"chown {h.Name}");
    }

    private void ApplyMetadata(int pfd, string name, string[] parts, TarHeader h)
    {
        if (_privileged && Fchownat(pfd, name, (int)h.Uid, (int)h.Gid, AT_SYMLINK_NOFOLLOW) != 0) throw LastError($"chown {h.Name}");
        // chmod after chown: chown clears setuid/setgid. Explicit mode, so no umask applies.
        if (h.Type != TarHeader.Symlink && Fchmodat(pfd, name, h.Mode & 0xFFF /* 07777 */, 0) != 0) throw LastError($"chmod {h.Name}");
        foreach (var (key, value) in h.Xattrs)
        {
            if (Lsetxattr($"/proc/self/fd/{pfd}/{name}", key, value, (nuint)value.Length, 0) != 0)
            {
                var errno = LastErrno;
                // Like Docker: a file system without xattrs, or trusted.* without privilege, is not fatal.
                if (errno is ENOTSUP or EPERM) continue;
                throw Error($"setxattr {key} on {h.Name}", errno);
            }
        }
        if (h.Type == TarHeader.Directory) _dirTimes.Add((parts, h.MtimeSeconds, h.MtimeNanoseconds));
        else SetTimes(pfd, name, h.MtimeSeconds, h.MtimeNanoseconds, h.Name);
    }

    private void ApplyRootMetadata(TarHeader h)
    {
        if (_privileged && Fchownat(AT_FDCWD, _rootPath, (int)h.Uid, (int)h.Gid, AT_SYMLINK_NOFOLLOW) != 0) throw LastError("chown /");
        if (Fchmodat(AT_FDCWD, _rootPath, h.Mode & 0xFFF /* 07777 */, 0) != 0) throw LastError("chmod /");
        _dirTimes.Add(([], h.MtimeSeconds, h.MtimeNanoseconds));
    }

    private void SetTimes(string[] path, long sec, uint nsec)
    {
        if (path.Length == 0)
        {
            SetTimes(AT_FDCWD, _rootPath, sec, nsec, "/");
            return;
        }
        using var parent = OpenDir(path.AsSpan(0, path.Length - 1), create: false);
        SetTimes(parent.Fd, path[^1], sec, nsec, string.Join('/', path));
    }

    private static void SetTimes(int dirfd, string name, long sec, uint nsec, string display)
    {
        ReadOnlySpan<Timespec> times = [new() { Sec = sec, Nsec = nsec }, new() { Sec = sec, Nsec = nsec }];
        if (Utimensat(dirfd, name, times, AT_SYMLINK_NOFOLLOW) != 0) throw LastError($"utimes {display}");
    }

    /// <summary>Clears the way for a new entry. Returns true when an existing directory was kept (tar order: dir entries update in place).</summary>
    private static bool RemoveExisting(int pfd, string name, bool keepDirectory)
    {
        if (Statx(pfd, name, AT_SYMLINK_NOFOLLOW, StatxBuffer.MaskBasic, out var st) != 0)
        {
            if (LastErrno == ENOENT) return false;
            throw LastError($"stat {name}");
        }
        if (st.Type == S_IFDIR)
        {
            if (keepDirectory) return true;
            // The parent's real path is inside the root (it was resolved in it); recursive delete does not follow links.
            Directory.Delete(Path.Join(DescriptorPath(pfd), name), recursive: true);
            return false;
        }
        if (Unlinkat(pfd, name, 0) != 0) throw LastError($"remove {name}");
        return false;
    }

    private static string DescriptorPath(int fd) =>
        new FileInfo($"/proc/self/fd/{fd}").LinkTarget ?? throw new IOException($"cannot resolve descriptor {fd}");

    /// <summary>Opens a directory below the root, resolved by the kernel as if the root were "/"; creates missing parents (0755).</summary>
    private DirHandle OpenDir(ReadOnlySpan<string> parts, bool create)
    {
        if (parts.Length == 0) return new DirHandle(_rootFd, owned: false);
        var path = string.Join('/', parts.ToArray());
        var fd = OpenInRoot(path);
        if (fd >= 0) return new DirHandle(fd, owned: true);
        if (LastErrno != ENOENT || !create) throw LastError($"open {path}");

        for (var i = 1; i <= parts.Length; i++)
        {
            var prefix = string.Join('/', parts[..i].ToArray());
            var sub = OpenInRoot(prefix);
            if (sub >= 0)
            {
                Close(sub);
                continue;
            }
            if (LastErrno != ENOENT) throw LastError($"open {prefix}");
            using var up = OpenDir(parts[..(i - 1)], create: false);
            if (Mkdirat(up.Fd, parts[i - 1], 0x1ED /* 0755 */) != 0)
            {
                if (LastErrno != EEXIST) throw LastError($"mkdir {prefix}");
            }
            else if (Fchmodat(up.Fd, parts[i - 1], 0x1ED /* 0755 */, 0) != 0)
            {
                throw LastError($"chmod {prefix}");   // undo the umask
            }
        }
        fd = OpenInRoot(path);
        if (fd < 0) throw LastError($"open {path}");
        return new DirHandle(fd, owned: true);
    }

    private bool TryOpenDir(ReadOnlySpan<string> parts, out DirHandle dir)
    {
        dir = new DirHandle(_rootFd, owned: false);
        if (parts.Length == 0) return true;
        var fd = OpenInRoot(string.Join('/', parts.ToArray()));
        if (fd < 0) return false;
        dir = new DirHandle(fd, owned: true);
        return true;
    }

    private int OpenInRoot(string path)
    {
        var how = new OpenHow { Flags = (ulong)(O_PATH | O_DIRECTORY | O_CLOEXEC), Resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
        return Openat2(_rootFd, path, ref how);
    }

    private readonly struct DirHandle(int fd, bool owned) : IDisposable
    {
        public int Fd => fd;
        public void Dispose()
        {
            if (owned) Close(fd);
        }
    }
}
