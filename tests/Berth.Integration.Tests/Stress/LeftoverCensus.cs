namespace Berth.Integration.Tests.Stress;

/// <summary>
/// Disk content under the data root that no record owns (DESIGN "Data root"): unpacked layers no image or container
/// names, half-extracted or half-removed layer dirs, blobs no image references, partial ingests, build scratch, trash,
/// volume dirs without a volume, and anything the layout does not know. Container dirs are judged by the invariant
/// checker against the container list. Pure file-system reads, so it also runs while the daemon is dead.
/// </summary>
internal static class LeftoverCensus
{
    /// <summary>Entries the data root may hold (metadata.db with its WAL files, the stores, the engine id).</summary>
    private static readonly HashSet<string> KnownTopLevel = new(StringComparer.Ordinal)
    {
        "metadata.db", "metadata.db-wal", "metadata.db-shm", "engine-id", "containers", "snapshots", "content", "volumes", "trash",
        "tmp", "build-cache-mounts",
    };

    /// <summary>Every leftover found, one line each (empty when the data root holds only owned content).</summary>
    public static List<string> Find(string dataRoot, MetadataView db)
    {
        var found = new List<string>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(dataRoot).Select(Path.GetFileName).OfType<string>())
            if (!KnownTopLevel.Contains(entry)) found.Add($"{entry}: unknown entry in the data root (a temp file?)");
        Snapshots(Path.Join(dataRoot, "snapshots"), db, found);
        Content(Path.Join(dataRoot, "content"), db, found);
        foreach (var e in Entries(Path.Join(dataRoot, "tmp"))) found.Add($"tmp/{e}: build scratch left behind");
        foreach (var e in Entries(Path.Join(dataRoot, "trash"))) found.Add($"trash/{e}: not emptied");
        foreach (var e in Entries(Path.Join(dataRoot, "volumes")).Where(e => !db.Volumes.Contains(e))) found.Add($"volumes/{e}: no volume owns it");
        return found;
    }

    /// <summary>The unpacked layers no image or container owns (by chain id); a kept layer's parents are owned with it.</summary>
    public static List<string> UnownedSnapshots(string snapshotsDir, MetadataView db)
    {
        var parents = new Dictionary<string, string?>(StringComparer.Ordinal);   // hex → parent chain id
        foreach (var name in Entries(snapshotsDir).Where(IsHex64))
            parents[name] = ReadParent(Path.Join(snapshotsDir, name));
        var owned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chain in db.ImageChains().Concat(db.Containers.Values.Select(c => c.TopChainId).OfType<string>()))
        {
            for (var hex = Hex(chain); hex is not null && owned.Add(hex);)
                hex = parents.GetValueOrDefault(hex) is { } p ? Hex(p) : null;
        }
        return [.. parents.Keys.Where(h => !owned.Contains(h)).Select(h => "sha256:" + h)];
    }

    private static void Snapshots(string dir, MetadataView db, List<string> found)
    {
        foreach (var e in Entries(dir).Where(e => !IsHex64(e))) found.Add($"snapshots/{e}: a half-extracted or half-removed layer dir");
        foreach (var chain in UnownedSnapshots(dir, db)) found.Add($"unpacked layer {chain} belongs to no image or container");
    }

    private static void Content(string dir, MetadataView db, List<string> found)
    {
        foreach (var e in Entries(Path.Join(dir, "ingest"))) found.Add($"content/ingest/{e}: a partial download or scratch file");
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, (_, blobs)) in db.Images)
        {
            referenced.Add(id);
            referenced.UnionWith(blobs);
        }
        foreach (var reference in db.Tags.Keys.Where(r => r.Contains('@', StringComparison.Ordinal))) referenced.Add(reference[(reference.IndexOf('@') + 1)..]);
        var blobs256 = Path.Join(dir, "blobs", "sha256");
        foreach (var blob in Entries(blobs256).Where(b => !referenced.Contains("sha256:" + b))) found.Add($"blob sha256:{blob} is referenced by no image");
        foreach (var source in Entries(Path.Join(dir, "sources")).Where(s => !File.Exists(Path.Join(blobs256, s))))
            found.Add($"content/sources/{source}: the push sources of a blob that is gone");
        foreach (var e in Entries(dir).Where(e => e is not ("blobs" or "ingest" or "sources"))) found.Add($"content/{e}: unknown entry in the content store");
    }

    private static string? ReadParent(string snapshotDir)
    {
        var meta = Path.Join(snapshotDir, "meta");
        if (!File.Exists(meta)) return null;
        var line = File.ReadLines(meta).FirstOrDefault(l => l.StartsWith("parent=", StringComparison.Ordinal));
        return line is { Length: > 7 } ? line[7..] : null;
    }

    private static IEnumerable<string> Entries(string dir) =>
        Directory.Exists(dir) ? Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).OfType<string>().ToList() : [];

    private static bool IsHex64(string s) => s.Length == 64 && !s.AsSpan().ContainsAnyExcept("0123456789abcdef");

    private static string? Hex(string chainId) => chainId.StartsWith("sha256:", StringComparison.Ordinal) && IsHex64(chainId[7..]) ? chainId[7..] : null;
}
