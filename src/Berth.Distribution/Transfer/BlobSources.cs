using Berth.Core.Ids;

namespace Berth.Distribution.Transfer;

/// <summary>
/// Which repositories a blob is known to be in (<c>registry/repository</c>), learnt from pulls and pushes, so a push to another
/// repository of the same registry can mount it instead of uploading (containerd keeps this as
/// <c>containerd.io/distribution.source</c> labels). One small file per blob under <c>sources/</c>.
/// </summary>
public sealed class BlobSources
{
    private readonly string _dir;
    private readonly Lock _lock = new();

    public BlobSources(string dir)
    {
        _dir = dir;
        Directory.CreateDirectory(dir);
    }

    public void Add(Digest blob, string registry, string repository)
    {
        var line = registry + "/" + repository;
        lock (_lock)
        {
            var path = Path.Join(_dir, blob.Encoded);
            var existing = File.Exists(path) ? File.ReadAllLines(path) : [];
            if (existing.Contains(line, StringComparer.Ordinal)) return;
            File.WriteAllLines(path, existing.Append(line).TakeLast(16));
        }
    }

    /// <summary>Repositories of <paramref name="registry"/> that had the blob (repository path only).</summary>
    public IReadOnlyList<string> In(Digest blob, string registry)
    {
        var path = Path.Join(_dir, blob.Encoded);
        string[] lines;
        lock (_lock) lines = File.Exists(path) ? File.ReadAllLines(path) : [];
        var prefix = registry + "/";
        return [.. lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l[prefix.Length..])];
    }
}
