using System.Security.Cryptography;
using Berth.Builder.Interop;
using Berth.Core.Archive;

namespace Berth.Builder.Execution;

/// <summary>
/// The hashes that name COPY/ADD sources in the classic builder's cache key and history, computed as moby does
/// (daemon/builder/dockerfile/copy.go calcCopyInfo, copyInfoForFile, walkSource; remotecontext archive.go, lazycontext.go,
/// filehash.go). A path is followed through symlinks inside the root first, so a link is named by what it points at.
/// The build context uses the tarsums of the tar the client sent (moby's archiveContext); any other tree (another stage or
/// image for <c>--from</c>, a download, a heredoc) is hashed from disk on first use (moby's lazySource), from the tar header
/// go-archive would write for the file: no mtime, no user names.
/// </summary>
internal sealed class SourceHasher
{
    private const uint TypeMask = 0xF000, Regular = 0x8000, Dir = 0x4000, Symlink = 0xA000, CharDev = 0x2000, BlockDev = 0x6000, Fifo = 0x1000;
    private readonly string _root;
    private readonly IReadOnlyDictionary<string, string>? _tarSums;
    private readonly Dictionary<string, string?> _computed = new(StringComparer.Ordinal);

    private SourceHasher(string root, IReadOnlyDictionary<string, string>? tarSums)
    {
        _root = root;
        _tarSums = tarSums;
    }

    /// <summary>The build context; without the client's tarsums (a context given as a directory) its files are hashed from disk.</summary>
    public static SourceHasher ForContext(string root, IReadOnlyDictionary<string, string>? tarSums) => new(root, tarSums);

    public static SourceHasher ForTree(string root) => new(root, null);

    /// <summary>
    /// <c>file:&lt;sum&gt;</c> for a file; for a directory <c>dir:</c> and the sha256 of the sorted sums of the directory itself (unless it is
    /// the root) and of every entry under it, joined by commas (moby hashStringSlice).
    /// </summary>
    public string SourceHash(string path)
    {
        var resolved = Resolve(path);
        var full = resolved.Length == 0 ? _root : Path.Join(_root, resolved);
        if (!Directory.Exists(full)) return "file:" + (Hash(path) ?? throw new BuildFailedException($"archive/tar: sockets not supported: {path}"));
        var sums = new List<string>();
        if (resolved.Length > 0 && Hash(resolved) is { } self) sums.Add(self);
        foreach (var entry in FileHasher.Walk(full))
            if (Hash(Path.GetRelativePath(_root, entry)) is { } sum) sums.Add(sum);   // moby's walk skips what it cannot hash
        sums.Sort(StringComparer.Ordinal);
        return FileHasher.HashStrings("dir", sums);
    }

    /// <summary>
    /// moby Source.Hash: the sum of what <paramref name="path"/> leads to. A path that leads nowhere (a dangling link) is its own
    /// "sum", for compatibility: the context gives back the path asked for, another tree the followed one. Null for a socket.
    /// </summary>
    public string? Hash(string path)
    {
        var resolved = Resolve(path);
        var key = resolved.Length == 0 ? "." : resolved;
        if (_tarSums is not null) return _tarSums.TryGetValue(key, out var sum) ? sum : path;
        if (_computed.TryGetValue(key, out var known)) return known;
        var full = resolved.Length == 0 ? _root : Path.Join(_root, resolved);
        var hash = Libc.LstatFull(full) is { } st ? HashFromDisk(full, key, st) : key;
        _computed[key] = hash;
        return hash;
    }

    private string Resolve(string path) => Path.GetRelativePath(_root, RootfsPath.Resolve(_root, path.Replace('\\', '/'))) is var rel && rel == "." ? "" : rel;

    /// <summary>moby NewFileHash: go-archive's FileInfoHeader of the file, its security.capability, then its content.</summary>
    private static string? HashFromDisk(string full, string rel, Libc.StatInfo st)
    {
        var type = st.Mode & TypeMask;
        char flag;
        switch (type)
        {
            case Regular: flag = '0'; break;
            case Dir: flag = '5'; break;
            case Symlink: flag = '2'; break;
            case CharDev: flag = '3'; break;
            case BlockDev: flag = '4'; break;
            case Fifo: flag = '6'; break;
            default: return null;   // Go's tar refuses sockets
        }
        List<KeyValuePair<string, byte[]>>? xattrs = null;
        if (Libc.GetXattr(full, "security.capability") is { } cap)
        {
            // go-archive ReadSecurityXattrToTarHeader: a v3 capability (with a root uid) is written as v2, which has none.
            if (cap.Length > 3 && cap[3] == 3) { cap[3] = 2; cap = cap[..Math.Min(cap.Length, 20)]; }
            xattrs = [KeyValuePair.Create("security.capability", cap)];
        }
        // Go's tar.FileInfoHeader: permission bits plus setuid/setgid/sticky, no file type bits (go-archive dropped those in
        // 2022); a directory's name ends in "/". go-archive fills device numbers when the mode has S_IFBLK or S_IFCHR bits.
        var header = TarSumHeader.Encode(flag == '5' ? rel + "/" : rel, st.Mode & 0xFFF, st.Uid, st.Gid, flag == '0' ? st.Size : 0, flag,
            flag == '2' ? new FileInfo(full).LinkTarget ?? "" : "", (st.Mode & BlockDev) != 0 ? st.RdevMajor : 0, (st.Mode & BlockDev) != 0 ? st.RdevMinor : 0, xattrs);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(header);
        if (flag == '0' && st.Size > 0)
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var buffer = new byte[1 << 16];
            int n;
            while ((n = stream.Read(buffer)) > 0) hash.AppendData(buffer, 0, n);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
