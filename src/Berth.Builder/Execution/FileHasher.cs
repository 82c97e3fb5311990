using System.Security.Cryptography;
using System.Text;

namespace Berth.Builder.Execution;

/// <summary>String digests for cache keys, and the walk COPY uses for globs and directories (<see cref="SourceHasher"/> names sources).</summary>
internal static class FileHasher
{
    /// <summary>moby getSourceHashFromInfos: several sources are named <c>multi:</c> over their hashes in order.</summary>
    public static string HashMany(IEnumerable<string> hashes) => HashStrings("multi", hashes);

    /// <summary>moby hashStringSlice: <c>prefix:</c> and the sha256 of the strings joined by commas.</summary>
    public static string HashStrings(string prefix, IEnumerable<string> strings) => prefix + ":" + Sha256(string.Join(',', strings));

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
}
