using System.Text.RegularExpressions;
using Berth.Core.Ids;
using Berth.Storage;

namespace Berth.Registry.Storage;

/// <summary>
/// The registry on disk: blobs in a content store (<c>blobs/sha256/…</c>, verified before visible) and per repository
/// <c>repositories/&lt;name&gt;/_manifests/&lt;hex&gt;</c> (the manifest's media type), <c>_tags/&lt;tag&gt;</c> (its digest) and
/// <c>_layers/&lt;hex&gt;</c> (the repository may read that blob). Link files are written atomically (temp + rename).
/// </summary>
internal sealed partial class RegistryStore
{
    private readonly string _repos;

    public RegistryStore(string root)
    {
        Root = Path.GetFullPath(root);
        Content = new ContentStore(Root);
        _repos = Path.Join(Root, "repositories");
        UploadsDir = Path.Join(Root, "uploads");
        Directory.CreateDirectory(_repos);
        Directory.CreateDirectory(UploadsDir);
    }

    public string Root { get; }

    public ContentStore Content { get; }

    public string UploadsDir { get; }

    public static bool IsValidName(string name) => name.Length <= 255 && NamePattern().IsMatch(name);

    public static bool IsValidTag(string tag) => TagPattern().IsMatch(tag);

    public bool RepositoryExists(string name) => Directory.Exists(Path.Join(RepoDir(name), "_manifests")) || Directory.Exists(Path.Join(RepoDir(name), "_layers"));

    // ---- blobs linked to repositories ----

    public bool HasBlob(string name, Digest d) => File.Exists(Link(name, "_layers", d.Encoded)) && Content.Exists(d);

    public void LinkBlob(string name, Digest d) => WriteLink(Link(name, "_layers", d.Encoded), "");

    public bool UnlinkBlob(string name, Digest d) => Delete(Link(name, "_layers", d.Encoded));

    // ---- manifests and tags ----

    public string? ManifestMediaType(string name, Digest d) =>
        File.Exists(Link(name, "_manifests", d.Encoded)) && Content.Exists(d) ? File.ReadAllText(Link(name, "_manifests", d.Encoded)) : null;

    public void LinkManifest(string name, Digest d, string mediaType) => WriteLink(Link(name, "_manifests", d.Encoded), mediaType);

    public bool UnlinkManifest(string name, Digest d)
    {
        var removed = Delete(Link(name, "_manifests", d.Encoded));
        foreach (var (tag, target) in Tags(name))
            if (target == d) Delete(Link(name, "_tags", tag));
        return removed;
    }

    public Digest? ResolveTag(string name, string tag)
    {
        var path = Link(name, "_tags", tag);
        return File.Exists(path) && Digest.TryParse(File.ReadAllText(path).Trim(), out var d) ? d : null;
    }

    public void SetTag(string name, string tag, Digest d) => WriteLink(Link(name, "_tags", tag), d.ToString());

    public bool DeleteTag(string name, string tag) => Delete(Link(name, "_tags", tag));

    public IReadOnlyList<(string Tag, Digest Digest)> Tags(string name)
    {
        var dir = Path.Join(RepoDir(name), "_tags");
        if (!Directory.Exists(dir)) return [];
        var list = new List<(string, Digest)>();
        foreach (var f in Directory.EnumerateFiles(dir))
        {
            var tag = Path.GetFileName(f);
            if (tag.StartsWith(".tmp-", StringComparison.Ordinal)) continue;
            if (Digest.TryParse(File.ReadAllText(f).Trim(), out var d)) list.Add((tag, d));
        }
        list.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return list;
    }

    /// <summary>Every repository holding manifests, sorted (the catalog).</summary>
    public IReadOnlyList<string> Repositories()
    {
        var result = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories(_repos, "_manifests", SearchOption.AllDirectories))
        {
            var repo = Path.GetRelativePath(_repos, Path.GetDirectoryName(dir)!);
            if (IsValidName(repo)) result.Add(repo);
        }
        result.Sort(StringComparer.Ordinal);
        return result;
    }

    /// <summary>Every manifest digest linked in a repository (garbage collection roots).</summary>
    public IEnumerable<(string Repo, Digest Digest)> AllManifests()
    {
        foreach (var repo in Repositories())
        {
            var dir = Path.Join(RepoDir(repo), "_manifests");
            foreach (var f in Directory.EnumerateFiles(dir))
                if (Digest.TryParse("sha256:" + Path.GetFileName(f), out var d)) yield return (repo, d);
        }
    }

    /// <summary>Drops layer links whose blob is gone (after garbage collection).</summary>
    public void PruneLayerLinks(Func<Digest, bool> exists)
    {
        foreach (var dir in Directory.EnumerateDirectories(_repos, "_layers", SearchOption.AllDirectories))
            foreach (var f in Directory.EnumerateFiles(dir))
                if (Digest.TryParse("sha256:" + Path.GetFileName(f), out var d) && !exists(d)) File.Delete(f);
    }

    private string RepoDir(string name) => Path.Join(_repos, name);

    private string Link(string name, string kind, string leaf)
    {
        if (leaf.Length == 0 || leaf.Contains('/', StringComparison.Ordinal) || leaf is "." or "..") throw RegistryException.NameInvalid();
        return Path.Join(RepoDir(name), kind, leaf);
    }

    private static void WriteLink(string path, string text)
    {
        var dir = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Join(dir, ".tmp-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }

    private static bool Delete(string path)
    {
        if (!File.Exists(path)) return false;
        File.Delete(path);
        return true;
    }

    // distribution/reference: path components of lower-case alphanumerics joined by separators.
    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
