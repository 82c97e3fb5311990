using System.Security.Cryptography;
using System.Text;

namespace Berth.Builder.Execution;

/// <summary>
/// Content hashes for COPY/ADD cache keys, in Docker's shapes: <c>file:&lt;sha256&gt;</c> for a file, <c>dir:&lt;sha256&gt;</c>
/// over the sorted entry hashes of a tree, <c>multi:&lt;sha256&gt;</c> over several sources. Like the classic builder's tarsum,
/// a hash covers name, type, mode, link target and content, but not timestamps, so touching a file keeps the cache.
/// </summary>
internal static class FileHasher
{
    public static string HashFile(string root, string rel) => "file:" + EntryHash(root, rel);

    public static string HashDirectory(string root, string rel)
    {
        var hashes = new List<string>();
        var start = rel.Length == 0 ? root : Path.Join(root, rel);
        foreach (var entry in Walk(start))
            hashes.Add(EntryHash(root, Path.GetRelativePath(root, entry)));
        hashes.Sort(StringComparer.Ordinal);
        return "dir:" + Sha256(string.Join(',', hashes));
    }

    public static string HashMany(IEnumerable<string> hashes) => "multi:" + Sha256(string.Join(',', hashes));

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Every entry under a directory (not the directory itself), depth first, without following symlinks.</summary>
    public static IEnumerable<string> Walk(string dir)
    {
        var names = Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal).ToList();
        foreach (var path in names)
        {
            yield return path;
            var info = new FileInfo(path);
            if (info.LinkTarget is null && (info.Attributes & FileAttributes.Directory) != 0)
                foreach (var sub in Walk(path)) yield return sub;
        }
    }

    private static string EntryHash(string root, string rel)
    {
        var path = Path.Join(root, rel);
        var info = new FileInfo(path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var link = info.LinkTarget;
        var isDir = link is null && (info.Attributes & FileAttributes.Directory) != 0;
        var mode = link is null ? (int)File.GetUnixFileMode(path) : 0;
        var header = $"name:{rel.Replace('\\', '/')}\ntype:{(link is not null ? 'l' : isDir ? 'd' : 'f')}\nmode:{mode}\nlink:{link}\n";
        hash.AppendData(Encoding.UTF8.GetBytes(header));
        if (link is null && !isDir)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var buffer = new byte[1 << 16];
            int n;
            while ((n = stream.Read(buffer)) > 0) hash.AppendData(buffer, 0, n);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
