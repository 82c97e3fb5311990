using System.Text;
using Berth.Storage.Interop;
using Microsoft.Win32.SafeHandles;
using static Berth.Storage.Interop.Libc;

namespace Berth.Storage.Archive;

/// <summary>Options for <see cref="TreeArchiver"/>; the fixed values make a layer reproducible across machines.</summary>
internal sealed record TreeArchiveOptions(long? FixedMtimeSeconds = null, bool RootOwned = false);

/// <summary>
/// Writes a directory tree as a tar, in ordinal name order. It walks with descriptors and O_NOFOLLOW, so a container swapping a
/// file for a symlink while we export cannot make us read the host's files. Overlay whiteouts (char 0/0) and opaque directories
/// become OCI <c>.wh.</c> entries, so an upper dir archives as a layer.
/// </summary>
internal sealed class TreeArchiver(TreeArchiveOptions options)
{
    private readonly Dictionary<(uint, uint, ulong), string> _links = [];

    public async Task WriteAsync(string dir, Stream output, CancellationToken ct)
    {
        var rootFd = Open(Path.GetFullPath(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        if (rootFd < 0) throw LastError($"open {dir}");
        try
        {
            var writer = new TarStreamWriter(output);
            await WalkAsync(writer, rootFd, "", ct);
            await writer.FinishAsync(ct);
        }
        finally
        {
            Close(rootFd);
        }
    }

    private async Task WalkAsync(TarStreamWriter writer, int dirFd, string prefix, CancellationToken ct)
    {
        var names = Directory.EnumerateFileSystemEntries($"/proc/self/fd/{dirFd}").Select(Path.GetFileName).OfType<string>().ToList();
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            ct.ThrowIfCancellationRequested();
            await WriteNodeAsync(writer, dirFd, name, prefix + name, ct);
        }
    }

    /// <summary>Archives one node of <paramref name="dirFd"/> (recursively if a directory) under the tar name <paramref name="rel"/>.</summary>
    internal async Task WriteNodeAsync(TarStreamWriter writer, int dirFd, string name, string rel, CancellationToken ct)
    {
        if (Statx(dirFd, name, AT_SYMLINK_NOFOLLOW, StatxBuffer.MaskBasic, out var st) != 0)
        {
            if (LastErrno == ENOENT) return;   // deleted while we walk
            throw LastError($"stat {rel}");
        }
        var prefix = rel.Length > name.Length ? rel[..^name.Length] : "";
        var h = NewHeader(rel, st);
        var opaque = ReadXattrs($"/proc/self/fd/{dirFd}/{name}", h);

        switch (st.Type)
        {
            case S_IFDIR:
                h.Type = TarHeader.Directory;
                h.Name = rel + "/";
                await writer.WriteEntryAsync(h, null, ct);
                if (opaque) await writer.WriteEntryAsync(Marker(rel + "/.wh..wh..opq", st), null, ct);
                var sub = Openat(dirFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
                if (sub < 0) throw LastError($"open {rel}");
                try { await WalkAsync(writer, sub, rel + "/", ct); }
                finally { Close(sub); }
                break;
            case S_IFREG:
                await WriteRegularAsync(writer, dirFd, name, h, st, ct);
                break;
            case S_IFLNK:
                h.Type = TarHeader.Symlink;
                h.LinkName = ReadLink(dirFd, name);
                await writer.WriteEntryAsync(h, null, ct);
                break;
            case S_IFCHR when st.RdevMajor == 0 && st.RdevMinor == 0:
                await writer.WriteEntryAsync(Marker(prefix + ".wh." + name, st), null, ct);
                break;
            case S_IFCHR or S_IFBLK:
                h.Type = st.Type == S_IFCHR ? TarHeader.CharDevice : TarHeader.BlockDevice;
                (h.DevMajor, h.DevMinor) = (st.RdevMajor, st.RdevMinor);
                await writer.WriteEntryAsync(h, null, ct);
                break;
            case S_IFIFO:
                h.Type = TarHeader.Fifo;
                await writer.WriteEntryAsync(h, null, ct);
                break;
            default:
                break;   // sockets are not archived (Docker skips them too)
        }
    }

    private async Task WriteRegularAsync(TarStreamWriter writer, int dirFd, string name, TarHeader h, StatxBuffer st, CancellationToken ct)
    {
        if (st.Nlink > 1)
        {
            var key = (st.DevMajor, st.DevMinor, st.Ino);
            if (_links.TryGetValue(key, out var first))
            {
                h.Type = TarHeader.HardLink;
                h.LinkName = first;
                await writer.WriteEntryAsync(h, null, ct);
                return;
            }
            _links[key] = h.Name;
        }

        // O_NONBLOCK: if the file became a fifo since the stat, opening must not hang.
        var fd = Openat(dirFd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
        if (fd < 0) throw LastError($"open {h.Name}");
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Statx(fd, "", AT_EMPTY_PATH, StatxBuffer.MaskBasic, out var now) != 0) throw LastError($"stat {h.Name}");
        if (now.Type != S_IFREG || now.Ino != st.Ino) throw new IOException($"{h.Name} changed while being archived");
        await using var fs = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        h.Type = TarHeader.Regular;
        h.Size = (long)now.Size;
        await writer.WriteEntryAsync(h, fs, ct);
    }

    private TarHeader NewHeader(string name, in StatxBuffer st) => new()
    {
        Name = name,
        Mode = st.Permissions,
        Uid = options.RootOwned ? 0 : st.Uid,
        Gid = options.RootOwned ? 0 : st.Gid,
        MtimeSeconds = options.FixedMtimeSeconds ?? st.MtimeSec,
    };

    private TarHeader Marker(string name, in StatxBuffer st)
    {
        var h = NewHeader(name, st);
        h.Type = TarHeader.Regular;
        h.Mode = 0;
        return h;
    }

    /// <summary>Copies xattrs into the header as raw bytes; returns whether the entry is an overlay opaque directory.</summary>
    private static bool ReadXattrs(string path, TarHeader h)
    {
        var size = Llistxattr(path, [], 0);
        if (size <= 0) return false;   // none, or not supported here
        var list = new byte[size];
        size = Llistxattr(path, list, (nuint)list.Length);
        if (size < 0) return false;
        var opaque = false;
        foreach (var raw in Encoding.UTF8.GetString(list, 0, (int)size).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var value = GetXattr(path, raw);
            if (value is null) continue;
            if (raw.StartsWith("trusted.overlay.", StringComparison.Ordinal))
            {
                opaque |= raw == "trusted.overlay.opaque" && value.AsSpan().SequenceEqual("y"u8);
                continue;   // overlay's own bookkeeping is not file content
            }
            h.Xattrs[raw] = value;
        }
        return opaque;
    }

    private static byte[]? GetXattr(string path, string name)
    {
        var n = Lgetxattr(path, name, [], 0);
        if (n < 0) return null;
        var buf = new byte[n];
        n = Lgetxattr(path, name, buf, (nuint)buf.Length);
        return n < 0 ? null : buf.AsSpan(0, (int)n).ToArray();
    }

    private static string ReadLink(int dirFd, string name)
    {
        var buf = new byte[4096];
        var n = Readlinkat(dirFd, name, buf, (nuint)buf.Length);
        if (n < 0) throw LastError($"readlink {name}");
        return Encoding.UTF8.GetString(buf, 0, (int)n);
    }
}
