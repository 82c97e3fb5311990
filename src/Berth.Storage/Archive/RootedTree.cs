using System.Text;
using Berth.Core.Errors;
using Berth.Storage.Interop;
using static Berth.Storage.Interop.Libc;

namespace Berth.Storage.Archive;

/// <summary>
/// A container's file tree seen through one directory descriptor of its root (<c>/proc/&lt;pid&gt;/root</c> for a running container,
/// a private mount of the rootfs for a stopped one). Every lookup is an openat2(RESOLVE_IN_ROOT) on that descriptor, so the kernel
/// treats the descriptor as "/": a symlink to "/etc" or "../../.." planted in the container resolves inside it, and no path given
/// to <c>docker cp</c> can make the daemon read or write a host file. Paths are container paths ("/etc/hosts").
/// </summary>
public sealed class RootedTree : IDisposable
{
    private const int MaxSymlinks = 255;
    private readonly int _rootFd;

    private RootedTree(int rootFd) => _rootFd = rootFd;

    /// <summary>Opens the tree rooted at <paramref name="rootPath"/> (a host path; the root itself is trusted, nothing below it is).</summary>
    public static RootedTree Open(string rootPath)
    {
        var fd = Libc.Open(rootPath, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        if (fd < 0) throw LastError($"open {rootPath}");
        return new RootedTree(fd);
    }

    internal int RootFd => _rootFd;

    public void Dispose() => Close(_rootFd);

    /// <summary>
    /// lstat of the path (parents resolved in the root, the last component not followed unless the path ends in "/" or "/."), with
    /// LinkTarget the fully resolved container path of a symlink, as moby's <c>containerFSView.Stat</c> reports it.
    /// </summary>
    public ContainerPathStat Stat(string path)
    {
        var (parts, followLast) = Split(path);
        using var node = OpenNode(parts, followLast, path);
        if (Statx(node.Fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, StatxBuffer.MaskBasic, out var st) != 0) throw LastError($"stat {path}");
        var target = st.Type == S_IFLNK ? ResolveInScope(path) : "";
        return new ContainerPathStat(GoBase(path), (long)st.Size, ContainerPathStat.GoFileMode(st.Mode),
            DateTimeOffset.FromUnixTimeSeconds(st.MtimeSec).AddTicks(st.MtimeNsec / 100), target);
    }

    /// <summary>
    /// Resolves every symlink along <paramref name="path"/> (the last one too) within the root, lexically and as far as the path
    /// exists; missing components are kept as they are. The answer is a clean absolute container path (moby's FollowSymlinkInScope).
    /// </summary>
    public string ResolveInScope(string path)
    {
        var done = new List<string>();
        var todo = new Stack<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var links = 0;
        var buf = new byte[4096];
        while (todo.Count > 0)
        {
            var c = todo.Pop();
            if (c == ".") continue;
            if (c == "..")
            {
                if (done.Count > 0) done.RemoveAt(done.Count - 1);
                continue;
            }
            var parent = OpenInRoot(string.Join('/', done), O_PATH | O_DIRECTORY | O_CLOEXEC);
            if (parent < 0)
            {
                done.Add(c);   // the parent does not exist (or is no directory): the rest is lexical
                continue;
            }
            nint n;
            try { n = Readlinkat(parent, c, buf, (nuint)buf.Length); }
            finally { Close(parent); }
            if (n < 0)
            {
                done.Add(c);   // not a symlink, or missing
                continue;
            }
            if (++links > MaxSymlinks) throw new InvalidArgumentException($"too many symlinks in {path}");
            var target = Encoding.UTF8.GetString(buf, 0, (int)n);
            if (target.StartsWith('/')) done.Clear();
            foreach (var p in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse()) todo.Push(p);
        }
        return "/" + string.Join('/', done);
    }

    /// <summary>
    /// Writes a tar of the path whose top entry is named as Docker names it: the base name of the path as given ("." for "dir/."),
    /// a directory recursively below it. A symlink as the last component is archived as the link itself.
    /// </summary>
    public async Task WriteArchiveAsync(string path, Stream output, CancellationToken ct)
    {
        var (parts, followLast) = Split(path);
        var topName = GoBase(path);
        if (followLast && parts.Length > 0)
        {
            // "dir/" and "dir/." mean the directory itself even when "dir" is a symlink to one.
            parts = Split(ResolveInScope(path)).Parts;
        }
        var archiver = new TreeArchiver(new TreeArchiveOptions());
        var writer = new TarStreamWriter(output);
        if (parts.Length == 0)
        {
            await WriteRootAsync(archiver, writer, topName == "/" ? "." : topName, ct);
        }
        else
        {
            var parentFd = OpenInRoot(string.Join('/', parts[..^1]), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (parentFd < 0) throw NotFound(path);
            try
            {
                if (Statx(parentFd, parts[^1], AT_SYMLINK_NOFOLLOW, StatxBuffer.MaskBasic, out _) != 0) throw NotFound(path);
                await archiver.WriteNodeAsync(writer, parentFd, parts[^1], topName, ct);
            }
            finally { Close(parentFd); }
        }
        await writer.FinishAsync(ct);
    }

    private async Task WriteRootAsync(TreeArchiver archiver, TarStreamWriter writer, string topName, CancellationToken ct)
    {
        // The root has no parent descriptor inside the tree: reach it as "." of itself.
        var fd = OpenInRoot("", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) throw LastError("open /");
        try { await archiver.WriteNodeAsync(writer, fd, ".", topName, ct); }
        finally { Close(fd); }
    }

    /// <summary>
    /// Extracts a tar into the directory at <paramref name="path"/> (every symlink followed, inside the root). The directory must
    /// exist: missing is NotFound, not a directory is InvalidArgument, as in moby's <c>containerExtractToDir</c>.
    /// </summary>
    public async Task ExtractAsync(string path, Stream tar, bool noOverwriteDirNonDir, CopyOwnership ownership, CancellationToken ct)
    {
        var resolved = ResolveInScope(path);
        var fd = OpenInRoot(resolved, O_PATH | O_CLOEXEC);
        if (fd < 0) throw NotFound(path);
        try
        {
            if (Statx(fd, "", AT_EMPTY_PATH, StatxBuffer.MaskBasic, out var st) != 0) throw LastError($"stat {path}");
            if (st.Type != S_IFDIR) throw new InvalidArgumentException("extraction point is not a directory");
        }
        finally { Close(fd); }
        var extractor = new CopyExtractor(this, Split(resolved).Parts, noOverwriteDirNonDir, ownership);
        // Docker's Untar accepts a gzip-compressed archive too.
        await using var plain = await Decompression.OpenAsync(tar, ct);
        await extractor.ExtractAsync(plain, ct);
    }

    /// <summary>
    /// Copies the directory at <paramref name="path"/> (its content, owners, modes, xattrs, links) into the root of
    /// <paramref name="target"/>, and gives the target root the directory's owner and mode: Docker's copy of image content into a
    /// new empty volume. A missing or non-directory path copies nothing and returns false.
    /// </summary>
    public async Task<bool> CopyDirectoryIntoAsync(string path, RootedTree target, CancellationToken ct)
    {
        var resolved = ResolveInScope(path);
        var fd = OpenInRoot(resolved, O_PATH | O_CLOEXEC);
        if (fd < 0) return false;
        StatxBuffer st;
        try
        {
            if (Statx(fd, "", AT_EMPTY_PATH, StatxBuffer.MaskBasic, out st) != 0 || st.Type != S_IFDIR) return false;
        }
        finally { Close(fd); }

        var pipe = new System.IO.Pipelines.Pipe();
        var produce = Task.Run(async () =>
        {
            await using var w = pipe.Writer.AsStream();
            try { await WriteArchiveAsync(resolved.TrimEnd('/') + "/.", w, ct); }
            catch (Exception ex)
            {
                await pipe.Writer.CompleteAsync(ex);
                throw;
            }
        }, ct);
        await using (var r = pipe.Reader.AsStream())
        {
            await new CopyExtractor(target, [], noOverwriteDirNonDir: false, CopyOwnership.FromHeader).ExtractAsync(r, ct);
        }
        await produce;
        var root = $"/proc/self/fd/{target._rootFd}";
        if (Fchownat(target._rootFd, "", (int)st.Uid, (int)st.Gid, AT_EMPTY_PATH) != 0 && Environment.IsPrivilegedProcess) throw LastError("chown volume root");
        File.SetUnixFileMode(root, (UnixFileMode)(st.Mode & 0xFFF));
        return true;
    }

    /// <summary>Reads a small regular file of the tree (e.g. /etc/passwd), or null when it is missing or not a regular file.</summary>
    public string? TryReadText(string path, int maxBytes = 1 << 20)
    {
        var fd = OpenInRoot(string.Join('/', Split(path).Parts), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) return null;
        using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
        if (Statx(fd, "", AT_EMPTY_PATH, StatxBuffer.MaskBasic, out var st) != 0 || st.Type != S_IFREG || (long)st.Size > maxBytes) return null;
        using var fs = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        using var reader = new StreamReader(fs, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Bind-mounts a host path onto a container path (created inside the root when missing). The target is pinned by a descriptor
    /// and mounted through /proc/self/fd, so a symlink swapped in meanwhile cannot redirect the mount. For a private mount namespace.
    /// </summary>
    public void BindMount(string source, string destination, bool readOnly)
    {
        var sourceIsDir = Directory.Exists(source);
        var parts = Split(ResolveInScope(destination)).Parts;
        CreateIfMissing(parts, sourceIsDir);
        var fd = OpenInRoot(string.Join('/', parts), O_PATH | O_CLOEXEC);
        if (fd < 0) throw LastError($"open mount target {destination}");
        try
        {
            var target = $"/proc/self/fd/{fd}";
            if (Libc.Mount(source, target, null, MS_BIND | MS_REC, null) != 0) throw LastError($"bind {source} on {destination}");
            // Remounts are refused on /proc/self/fd paths; the real path of the pinned target now leads into the new mount.
            var real = new FileInfo(target).LinkTarget ?? throw new IOException($"cannot resolve {target}");
            if (Libc.Mount(null, real, null, MS_REC | MS_PRIVATE, null) != 0) throw LastError($"make {destination} private");
            if (readOnly && Libc.Mount(null, real, null, MS_BIND | MS_REMOUNT | MS_RDONLY, null) != 0) throw LastError($"remount {destination} read-only");
        }
        finally { Close(fd); }
    }

    private void CreateIfMissing(string[] parts, bool isDir)
    {
        if (parts.Length == 0) return;
        var parent = OpenDir(parts.AsSpan(0, parts.Length - 1), create: true);
        try
        {
            if (Statx(parent, parts[^1], AT_SYMLINK_NOFOLLOW, StatxBuffer.MaskBasic, out _) == 0) return;
            if (isDir)
            {
                if (Mkdirat(parent, parts[^1], 0x1ED) != 0 && LastErrno != EEXIST) throw LastError($"mkdir {parts[^1]}");
                return;
            }
            var f = Openat(parent, parts[^1], O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0x1ED);
            if (f < 0) throw LastError($"create {parts[^1]}");
            Close(f);
        }
        finally { Close(parent); }
    }

    /// <summary>Opens a directory below the root (resolved in it), creating missing components with mode 0755. The caller closes it.</summary>
    internal int OpenDir(ReadOnlySpan<string> parts, bool create)
    {
        var path = string.Join('/', parts.ToArray());
        var fd = OpenInRoot(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0 || !create || LastErrno != ENOENT)
        {
            if (fd < 0) throw LastError($"open {path}");
            return fd;
        }
        for (var i = 1; i <= parts.Length; i++)
        {
            var prefix = string.Join('/', parts[..i].ToArray());
            var sub = OpenInRoot(prefix, O_PATH | O_DIRECTORY | O_CLOEXEC);
            if (sub >= 0)
            {
                Close(sub);
                continue;
            }
            if (LastErrno != ENOENT) throw LastError($"open {prefix}");
            var up = OpenInRoot(string.Join('/', parts[..(i - 1)].ToArray()), O_PATH | O_DIRECTORY | O_CLOEXEC);
            if (up < 0) throw LastError($"open {prefix}");
            try
            {
                if (Mkdirat(up, parts[i - 1], 0x1ED) != 0 && LastErrno != EEXIST) throw LastError($"mkdir {prefix}");
                Fchmodat(up, parts[i - 1], 0x1ED, 0);   // undo the umask
            }
            finally { Close(up); }
        }
        fd = OpenInRoot(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) throw LastError($"open {path}");
        return fd;
    }

    /// <summary>openat2 on the root with RESOLVE_IN_ROOT; magic links (/proc/self/root…) are refused as well.</summary>
    internal int OpenInRoot(string relative, int flags)
    {
        var how = new OpenHow { Flags = (ulong)flags, Resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
        return Openat2(_rootFd, relative.Length == 0 ? "." : relative, ref how);
    }

    private DescriptorHandle OpenNode(string[] parts, bool followLast, string display)
    {
        var fd = OpenInRoot(string.Join('/', parts), O_PATH | O_CLOEXEC | (followLast ? 0 : O_NOFOLLOW));
        if (fd < 0)
        {
            if (LastErrno is ENOENT or ENOTDIR) throw NotFound(display);
            throw LastError($"open {display}");
        }
        return new DescriptorHandle(fd);
    }

    private static NotFoundException NotFound(string path) => new($"Could not find the file {path} in container");

    /// <summary>Clean components, and whether the path asks for the last one to be followed (a trailing "/" or "/.").</summary>
    internal static (string[] Parts, bool FollowLast) Split(string path)
    {
        var followLast = path.EndsWith('/') || path.EndsWith("/.", StringComparison.Ordinal) || path == ".";
        var parts = new List<string>();
        foreach (var p in path.Split('/'))
        {
            if (p is "" or ".") continue;
            if (p == "..")
            {
                if (parts.Count > 0) parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(p);
        }
        return ([.. parts], followLast);
    }

    /// <summary>Go's filepath.Base of the path as the client gave it: "/a/b/" → "b", "/a/." → ".", "/" → "/".</summary>
    internal static string GoBase(string path)
    {
        var trimmed = path.TrimEnd('/');
        if (trimmed.Length == 0) return path.Length == 0 ? "." : "/";
        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }

    private readonly struct DescriptorHandle(int fd) : IDisposable
    {
        public int Fd => fd;
        public void Dispose() => Close(fd);
    }
}
