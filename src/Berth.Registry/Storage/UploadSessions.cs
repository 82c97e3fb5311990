using System.Collections.Concurrent;
using System.Security.Cryptography;
using Berth.Core.Ids;

namespace Berth.Registry.Storage;

/// <summary>
/// Blob uploads in progress: <c>uploads/&lt;uuid&gt;</c> grows with each PATCH while its SHA-256 is kept running in memory, so the
/// final PUT verifies without reading the file again (after a restart the file is hashed once to catch up).
/// </summary>
internal sealed class UploadSessions(RegistryStore store)
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    public string Start(string repository)
    {
        var id = Guid.NewGuid().ToString();
        File.WriteAllBytes(PathOf(id), []);
        _sessions[id] = new Session(repository);
        return id;
    }

    public long Size(string id) => Get(id).Size;

    /// <summary>Appends <paramref name="data"/>; with <paramref name="expectedStart"/> (a Content-Range) it must equal the current size.</summary>
    public async Task<long> AppendAsync(string id, Stream data, long? expectedStart, CancellationToken ct)
    {
        var s = Get(id);
        await s.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (expectedStart is { } start && start != s.Size) throw new RegistryException(416, "BLOB_UPLOAD_INVALID", "blob upload invalid: chunk out of order");
            await using var file = new FileStream(PathOf(id), FileMode.Open, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            file.Position = s.Size;
            var buf = new byte[256 * 1024];
            int n;
            try
            {
                while ((n = await data.ReadAsync(buf, ct).ConfigureAwait(false)) > 0)
                {
                    await file.WriteAsync(buf.AsMemory(0, n), ct).ConfigureAwait(false);
                    s.Hash.AppendData(buf, 0, n);
                    s.Size += n;
                }
            }
            catch
            {
                // A broken PATCH leaves its bytes in an unknown state: the client starts the upload over.
                Forget(id);
                throw;
            }
            return s.Size;
        }
        finally
        {
            s.Gate.Release();
        }
    }

    /// <summary>Verifies the upload against <paramref name="expected"/> and publishes it as a blob; the session ends either way.</summary>
    public async Task CommitAsync(string id, Digest expected, CancellationToken ct)
    {
        var s = Get(id);
        await s.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var actual = Digest.FromSha256Hash(s.Hash.GetCurrentHash());
            if (expected.Algorithm != "sha256" || actual != expected)
            {
                Forget(id);
                throw RegistryException.DigestInvalid();
            }
            if (store.Content.Exists(expected)) File.Delete(PathOf(id));
            else store.Content.PublishVerified(PathOf(id), expected);
            _sessions.TryRemove(id, out _);
            s.Hash.Dispose();
        }
        finally
        {
            s.Gate.Release();
        }
    }

    public bool Cancel(string id)
    {
        if (!_sessions.ContainsKey(id) && !File.Exists(PathOf(id))) return false;
        Forget(id);
        return true;
    }

    public string RepositoryOf(string id) => Get(id).Repository;

    private Session Get(string id)
    {
        if (!Guid.TryParse(id, out _)) throw RegistryException.UploadUnknown();
        if (_sessions.TryGetValue(id, out var s)) return s;
        // The registry restarted mid-upload: hash what is on disk and go on.
        var path = PathOf(id);
        if (!File.Exists(path)) throw RegistryException.UploadUnknown();
        var session = new Session("");
        using (var f = File.OpenRead(path))
        {
            var buf = new byte[256 * 1024];
            int n;
            while ((n = f.Read(buf)) > 0) { session.Hash.AppendData(buf, 0, n); session.Size += n; }
        }
        return _sessions.GetOrAdd(id, session);
    }

    private void Forget(string id)
    {
        if (_sessions.TryRemove(id, out var s)) s.Hash.Dispose();
        File.Delete(PathOf(id));
    }

    private string PathOf(string id) => Path.Join(store.UploadsDir, id);

    private sealed class Session(string repository)
    {
        public string Repository { get; } = repository;
        public IncrementalHash Hash { get; } = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public long Size { get; set; }
    }
}
