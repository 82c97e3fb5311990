using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Berth.Integration.Tests.Stress;

/// <summary>
/// What berthd's metadata.db records, read straight from the file (read-only, so it also works while the daemon is
/// dead between a kill and the restart): images with their layers and blobs, tags, containers with their layer
/// chain, volumes; and the result of SQLite's integrity check.
/// </summary>
internal sealed class MetadataView
{
    private static bool s_sqliteReady;

    public string? IntegrityProblem { get; private set; }

    public Dictionary<string, (string[] DiffIds, string[] Blobs)> Images { get; } = new(StringComparer.Ordinal);

    /// <summary>reference → image id (references with '@' are repo digests).</summary>
    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

    /// <summary>container id → (image id, top layer chain id or null).</summary>
    public Dictionary<string, (string ImageId, string? TopChainId)> Containers { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Volumes { get; } = new(StringComparer.Ordinal);

    public static MetadataView Read(string dataRoot)
    {
        if (!s_sqliteReady)
        {
            SQLitePCL.Batteries_V2.Init();
            s_sqliteReady = true;
        }
        var view = new MetadataView();
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Join(dataRoot, "metadata.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false,
        }.ToString());
        db.Open();
        var integrity = Scalar(db, "PRAGMA integrity_check;");
        if (integrity != "ok") view.IntegrityProblem = integrity;
        foreach (var row in Rows(db, "SELECT id, diff_ids, layer_digests FROM images;", 3))
            view.Images[row[0]] = (Split(row[1]), Split(row[2]));
        foreach (var row in Rows(db, "SELECT reference, image_id FROM tags;", 2)) view.Tags[row[0]] = row[1];
        foreach (var row in Rows(db, "SELECT id, image_id, config_json FROM containers;", 3))
            view.Containers[row[0]] = (row[1], TopChainId(row[2]));
        foreach (var row in Rows(db, "SELECT name FROM volumes;", 1)) view.Volumes.Add(row[0]);
        return view;
    }

    /// <summary>The chain ids of every layer of every image (chain(L1..Ln) = sha256(chain(L1..Ln-1) + " " + diff(Ln))).</summary>
    public IEnumerable<string> ImageChains()
    {
        foreach (var (diffIds, _) in Images.Values)
        {
            string? chain = null;
            foreach (var diff in diffIds)
            {
                chain = chain is null ? diff : "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(chain + " " + diff)));
                yield return chain;
            }
        }
    }

    private static string? TopChainId(string configJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(configJson);
            return doc.RootElement.TryGetProperty("TopChainId", out var top) && top.ValueKind == JsonValueKind.String ? top.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Scalar(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar() as string;
    }

    private static List<string[]> Rows(SqliteConnection db, string sql, int columns)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        using var rd = cmd.ExecuteReader();
        var rows = new List<string[]>();
        while (rd.Read()) rows.Add([.. Enumerable.Range(0, columns).Select(i => rd.IsDBNull(i) ? "" : rd.GetString(i))]);
        return rows;
    }

    private static string[] Split(string s) => s.Length == 0 ? [] : s.Split('\n');
}
