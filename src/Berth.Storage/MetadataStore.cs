using System.Globalization;
using Berth.Core.Errors;
using Microsoft.Data.Sqlite;

namespace Berth.Storage;

/// <summary>
/// The metadata database (SQLite in WAL mode, synchronous=NORMAL: a committed write survives a daemon crash). One connection guarded by
/// a lock: the writes are small and SQLite serialises writers anyway. The schema version lives in <c>PRAGMA user_version</c>.
/// </summary>
public sealed partial class MetadataStore : IDisposable
{
    private const int SchemaVersion = 1;
    private static readonly Lock InitLock = new();
    private static bool s_initialized;
    private readonly Lock _lock = new();
    private readonly SqliteConnection _db;

    public MetadataStore(string dbPath)
    {
        lock (InitLock)
        {
            if (!s_initialized)
            {
                // Microsoft.Data.Sqlite.Core does not pick a native provider itself (and reflection-based discovery is not AOT-safe).
                SQLitePCL.Batteries_V2.Init();
                s_initialized = true;
            }
        }

        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dbPath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        _db.Open();
        Exec("PRAGMA journal_mode=WAL;");
        // WAL + NORMAL survives a kill -9 of the daemon (commits are in the WAL in the page cache); only a power loss
        // can drop the latest commits. FULL would put an fsync on every container state change of the start path.
        Exec("PRAGMA synchronous=NORMAL;");
        Exec("PRAGMA foreign_keys=ON;");
        Exec("PRAGMA busy_timeout=5000;");
        Migrate();
        Exec(VolumesSchema);
        EnsureNetworksTable();
        Exec("CREATE TABLE IF NOT EXISTS build_cache (key TEXT PRIMARY KEY, image_id TEXT NOT NULL);");
    }

    private void Migrate()
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt32(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
            throw new FailedPreconditionException($"metadata database schema {version} is newer than this daemon understands ({SchemaVersion})");
        if (version == SchemaVersion) return;

        using var tx = _db.BeginTransaction();
        Exec("""
            CREATE TABLE IF NOT EXISTS containers (
              id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, image_id TEXT NOT NULL, created TEXT NOT NULL,
              config_json TEXT NOT NULL, state_json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS images (
              id TEXT PRIMARY KEY, config_json TEXT NOT NULL, diff_ids TEXT NOT NULL, layer_digests TEXT NOT NULL,
              parent_id TEXT, created TEXT NOT NULL, size INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS tags (reference TEXT PRIMARY KEY, image_id TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS tags_image ON tags(image_id);
            CREATE INDEX IF NOT EXISTS containers_image ON containers(image_id);
            """, tx);
        Exec($"PRAGMA user_version={SchemaVersion};", tx);
        tx.Commit();
    }

    // ---- containers ----

    /// <summary>Inserts or replaces a container. A name held by another container is a Conflict, in Docker's words.</summary>
    public void PutContainer(ContainerRecord r)
    {
        lock (_lock)
        {
            using var tx = _db.BeginTransaction();
            var holder = Scalar("SELECT id FROM containers WHERE name = $name AND id <> $id;", tx, ("$name", r.Name), ("$id", r.Id));
            if (holder is string other)
                throw new ConflictException(
                    $"Conflict. The container name \"{r.Name}\" is already in use by container \"{other}\". You have to remove (or rename) that container to be able to reuse that name.");
            Exec("""
                INSERT INTO containers (id, name, image_id, created, config_json, state_json) VALUES ($id, $name, $image, $created, $config, $state)
                ON CONFLICT(id) DO UPDATE SET name = excluded.name, image_id = excluded.image_id, created = excluded.created,
                  config_json = excluded.config_json, state_json = excluded.state_json;
                """, tx, ("$id", r.Id), ("$name", r.Name), ("$image", r.ImageId), ("$created", FormatTime(r.Created)),
                ("$config", r.ConfigJson), ("$state", r.StateJson));
            tx.Commit();
        }
    }

    public ContainerRecord? GetContainer(string id) =>
        QueryContainers("SELECT id, name, image_id, created, config_json, state_json FROM containers WHERE id = $id;", ("$id", id)).FirstOrDefault();

    public IReadOnlyList<ContainerRecord> ListContainers() =>
        QueryContainers("SELECT id, name, image_id, created, config_json, state_json FROM containers ORDER BY created, id;");

    public void DeleteContainer(string id)
    {
        lock (_lock) Exec("DELETE FROM containers WHERE id = $id;", null, ("$id", id));
    }

    private List<ContainerRecord> QueryContainers(string sql, params (string, object?)[] args)
    {
        lock (_lock)
        {
            using var cmd = Command(sql, null, args);
            using var rd = cmd.ExecuteReader();
            var list = new List<ContainerRecord>();
            while (rd.Read())
                list.Add(new ContainerRecord(rd.GetString(0), rd.GetString(1), rd.GetString(2), ParseTime(rd.GetString(3)), rd.GetString(4), rd.GetString(5)));
            return list;
        }
    }

    // ---- images ----

    public void PutImage(ImageRecord r)
    {
        lock (_lock)
        {
            Exec("""
                INSERT INTO images (id, config_json, diff_ids, layer_digests, parent_id, created, size) VALUES ($id, $config, $diff, $layers, $parent, $created, $size)
                ON CONFLICT(id) DO UPDATE SET config_json = excluded.config_json, diff_ids = excluded.diff_ids, layer_digests = excluded.layer_digests,
                  parent_id = excluded.parent_id, created = excluded.created, size = excluded.size;
                """, null, ("$id", r.Id), ("$config", r.ConfigJson), ("$diff", JoinList(r.DiffIds)), ("$layers", JoinList(r.LayerDigests)),
                ("$parent", r.ParentId), ("$created", FormatTime(r.Created)), ("$size", r.Size));
        }
    }

    public ImageRecord? GetImage(string id) => QueryImages("WHERE id = $id", ("$id", id)).FirstOrDefault();

    public IReadOnlyList<ImageRecord> ListImages() => QueryImages("ORDER BY created DESC, id");

    /// <summary>Deletes the image and every tag pointing at it, in one transaction.</summary>
    public void DeleteImage(string id)
    {
        lock (_lock)
        {
            using var tx = _db.BeginTransaction();
            Exec("DELETE FROM tags WHERE image_id = $id;", tx, ("$id", id));
            Exec("DELETE FROM images WHERE id = $id;", tx, ("$id", id));
            tx.Commit();
        }
    }

    private List<ImageRecord> QueryImages(string where, params (string, object?)[] args)
    {
        lock (_lock)
        {
            using var cmd = Command($"SELECT id, config_json, diff_ids, layer_digests, parent_id, created, size FROM images {where};", null, args);
            using var rd = cmd.ExecuteReader();
            var list = new List<ImageRecord>();
            while (rd.Read())
            {
                list.Add(new ImageRecord(rd.GetString(0), rd.GetString(1), SplitList(rd.GetString(2)), SplitList(rd.GetString(3)),
                    rd.IsDBNull(4) ? null : rd.GetString(4), ParseTime(rd.GetString(5)), rd.GetInt64(6)));
            }
            return list;
        }
    }

    // ---- tags ----

    /// <summary>Points a full normalized reference (<c>docker.io/library/busybox:latest</c>) at an image, moving it if it existed.</summary>
    public void SetTag(string reference, string imageId)
    {
        lock (_lock)
        {
            Exec("INSERT INTO tags (reference, image_id) VALUES ($ref, $image) ON CONFLICT(reference) DO UPDATE SET image_id = excluded.image_id;",
                null, ("$ref", reference), ("$image", imageId));
        }
    }

    public bool RemoveTag(string reference)
    {
        lock (_lock)
        {
            using var cmd = Command("DELETE FROM tags WHERE reference = $ref;", null, ("$ref", reference));
            return cmd.ExecuteNonQuery() > 0;
        }
    }

    public string? ResolveTag(string reference)
    {
        lock (_lock) return Scalar("SELECT image_id FROM tags WHERE reference = $ref;", null, ("$ref", reference)) as string;
    }

    public IReadOnlyList<(string Reference, string ImageId)> ListTags()
    {
        lock (_lock)
        {
            using var cmd = Command("SELECT reference, image_id FROM tags ORDER BY reference;", null);
            using var rd = cmd.ExecuteReader();
            var list = new List<(string, string)>();
            while (rd.Read()) list.Add((rd.GetString(0), rd.GetString(1)));
            return list;
        }
    }

    // ---- build cache: a build step's key (parent image + step) to the image it made ----

    public void PutBuildCache(string key, string imageId)
    {
        lock (_lock)
        {
            Exec("INSERT INTO build_cache (key, image_id) VALUES ($key, $image) ON CONFLICT(key) DO UPDATE SET image_id = excluded.image_id;",
                null, ("$key", key), ("$image", imageId));
        }
    }

    public string? GetBuildCache(string key)
    {
        lock (_lock) return Scalar("SELECT image_id FROM build_cache WHERE key = $key;", null, ("$key", key)) as string;
    }

    /// <summary>Forgets every cache entry (build prune); returns how many there were.</summary>
    public int ClearBuildCache()
    {
        lock (_lock)
        {
            using var cmd = Command("DELETE FROM build_cache;", null);
            return cmd.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        lock (_lock) _db.Dispose();
    }

    // ---- helpers ----

    private SqliteCommand Command(string sql, SqliteTransaction? tx, params (string Name, object? Value)[] args)
    {
        var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    private void Exec(string sql, SqliteTransaction? tx = null, params (string, object?)[] args)
    {
        using var cmd = Command(sql, tx, args);
        cmd.ExecuteNonQuery();
    }

    private object? Scalar(string sql, SqliteTransaction? tx, params (string, object?)[] args)
    {
        using var cmd = Command(sql, tx, args);
        return cmd.ExecuteScalar();
    }

    // Digests contain no newline, so a newline-joined list is unambiguous and needs no serializer.
    private static string JoinList(IReadOnlyList<string> items) => string.Join('\n', items);

    private static string[] SplitList(string s) => s.Length == 0 ? [] : s.Split('\n');

    private static string FormatTime(DateTimeOffset t) => t.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string s) => DateTimeOffset.ParseExact(s, "O", CultureInfo.InvariantCulture, DateTimeStyles.None);
}
