using System.Security.Cryptography;
using Berth.Core.Errors;
using Berth.Core.Ids;
using Berth.Storage.Content;

namespace Berth.Storage;

/// <summary>
/// Content-addressed blobs under <c>blobs/&lt;alg&gt;/&lt;hex&gt;</c>. A write goes to <c>ingest/</c>, is hashed as it streams, verified,
/// fsynced and renamed into place, so a blob is either complete and verified or not visible at all.
/// </summary>
public sealed class ContentStore
{
    private readonly string _blobs;
    private readonly string _ingest;

    public ContentStore(string root)
    {
        Root = Path.GetFullPath(root);
        _blobs = Path.Join(Root, "blobs");
        _ingest = Path.Join(Root, "ingest");
        Directory.CreateDirectory(Path.Join(_blobs, "sha256"));
        Directory.CreateDirectory(_ingest);
    }

    public string Root { get; }

    public string PathOf(Digest d) => Path.Join(_blobs, d.Algorithm, d.Encoded);

    public bool Exists(Digest d) => File.Exists(PathOf(d));

    public Stream OpenRead(Digest d)
    {
        try
        {
            return new FileStream(PathOf(d), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NotFoundException($"content digest {d}: not found", e);
        }
    }

    public long Size(Digest d)
    {
        var info = new FileInfo(PathOf(d));
        return info.Exists ? info.Length : throw new NotFoundException($"content digest {d}: not found");
    }

    public void Delete(Digest d) => File.Delete(PathOf(d));

    /// <summary>Stores a blob. With <paramref name="expected"/>, a mismatch throws FailedPrecondition and nothing becomes visible.</summary>
    public async Task<Digest> WriteAsync(Stream data, Digest? expected, CancellationToken ct)
    {
        var algorithm = expected?.Algorithm ?? "sha256";
        using var hash = IncrementalHash.CreateHash(algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);
        var tmp = Path.Join(_ingest, Guid.NewGuid().ToString("N"));
        try
        {
            long size = 0;
            await using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous))
            {
                var buf = new byte[256 * 1024];
                int n;
                while ((n = await data.ReadAsync(buf, ct)) > 0)
                {
                    hash.AppendData(buf, 0, n);
                    await fs.WriteAsync(buf.AsMemory(0, n), ct);
                    size += n;
                }
                fs.Flush(flushToDisk: true);
            }

            var hex = Convert.ToHexStringLower(hash.GetHashAndReset());
            var actual = Digest.Parse($"{algorithm}:{hex}");
            if (expected is { } e && e != actual)
                throw new FailedPreconditionException($"unexpected commit digest {actual} ({size} bytes), expected {e}: failed precondition");

            var target = PathOf(actual);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (File.Exists(target))
            {
                File.Delete(tmp);   // same bytes already stored
                return actual;
            }
            File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.Move(tmp, target, overwrite: true);   // a concurrent writer of the same blob wrote the same bytes
            FileSync.SyncDirectory(Path.GetDirectoryName(target)!);
            return actual;
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    /// <summary>
    /// A named partial file under <c>ingest/</c> for a writer that hashes as it goes and may resume (a download retried with HTTP
    /// Range). It is not visible as content until <see cref="PublishVerified"/>; <see cref="CleanIngest"/> removes leftovers.
    /// </summary>
    public string IngestPath(string key)
    {
        if (!DataRoot.IsSafeName(key)) throw new ArgumentException($"invalid ingest key {key}", nameof(key));
        return Path.Join(_ingest, key);
    }

    /// <summary>Moves an ingest file that the caller has hashed and found equal to <paramref name="d"/> into place (fsynced, atomic).</summary>
    public void PublishVerified(string ingestFile, Digest d)
    {
        using (var fs = new FileStream(ingestFile, FileMode.Open, FileAccess.ReadWrite)) fs.Flush(flushToDisk: true);
        var target = PathOf(d);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.SetUnixFileMode(ingestFile, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.Move(ingestFile, target, overwrite: true);   // same digest, same bytes: replacing a concurrent writer's copy is harmless
        FileSync.SyncDirectory(Path.GetDirectoryName(target)!);
    }

    /// <summary>Every stored blob's digest (garbage collection, disk usage).</summary>
    public IEnumerable<Digest> List()
    {
        foreach (var algDir in Directory.EnumerateDirectories(_blobs))
            foreach (var f in Directory.EnumerateFiles(algDir))
                if (Digest.TryParse(Path.GetFileName(algDir) + ":" + Path.GetFileName(f), out var d)) yield return d;
    }

    /// <summary>Removes partial ingests left by a crash; call at daemon start, before any write.</summary>
    public void CleanIngest()
    {
        foreach (var f in Directory.EnumerateFiles(_ingest)) File.Delete(f);
        foreach (var d in Directory.EnumerateDirectories(_ingest)) Directory.Delete(d, recursive: true);   // scratch dirs of a load
    }
}
