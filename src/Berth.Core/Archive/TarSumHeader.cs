using System.Globalization;
using System.Text;

namespace Berth.Core.Archive;

/// <summary>
/// The header half of moby's tarsum v1 (daemon/builder/remotecontext/internal/tarsum/versioning.go v1TarHeaderSelect): the
/// fields of a tar header as <c>key</c>+<c>value</c> strings run together, in the order name, mode, uid, gid, size, typeflag,
/// linkname, uname, gname, devmajor, devminor, then each xattr (name, value) sorted by name. The modification time is not
/// among them, which is why touching a file keeps Docker's build cache. A file's sum is sha256(header bytes + content).
/// Uname and gname are always empty: moby blanks them for the build context (tarsum.go encodeHeader) and never fills them
/// for files it stats itself (go-archive FileInfoHeaderNoLookups).
/// </summary>
public static class TarSumHeader
{
    public static byte[] Encode(string name, long mode, long uid, long gid, long size, char typeflag, string linkName, long devMajor, long devMinor,
        IEnumerable<KeyValuePair<string, byte[]>>? xattrs = null)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"name{name}mode{mode}uid{uid}gid{gid}size{size}typeflag{typeflag}linkname{linkName}unamegnamedevmajor{devMajor}devminor{devMinor}");
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(text));
        if (xattrs is not null)
        {
            // Go sorts the names as byte strings; ordinal comparison of the UTF-16 names agrees for the ASCII names xattrs have.
            foreach (var (key, value) in xattrs.OrderBy(x => x.Key, StringComparer.Ordinal))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(key));
                bytes.AddRange(value);
            }
        }
        return [.. bytes];
    }

    /// <summary>The key moby files a context entry under: its tar name cleaned, relative (<c>app/</c> and <c>./app</c> are <c>app</c>).</summary>
    public static string EntryKey(string tarName)
    {
        var clean = Paths.ScopedPath.Follow(_ => null, tarName);
        return clean.Length == 0 ? "." : clean;
    }
}
