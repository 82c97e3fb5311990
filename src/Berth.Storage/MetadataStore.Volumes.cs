using System.Text;
using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Storage;

/// <summary>The volumes table. Created idempotently at open, so it needs no schema-version bump of its own.</summary>
public sealed partial class MetadataStore
{
    private const string VolumesSchema = """
        CREATE TABLE IF NOT EXISTS volumes (
          name TEXT PRIMARY KEY, driver TEXT NOT NULL, created TEXT NOT NULL, labels_json TEXT NOT NULL,
          options_json TEXT NOT NULL, anonymous INTEGER NOT NULL);
        """;

    /// <summary>Inserts a volume; an existing name is AlreadyExists (the service decides whether that is an error).</summary>
    public void AddVolume(VolumeRecord v)
    {
        lock (_lock)
        {
            if (Scalar("SELECT name FROM volumes WHERE name = $name;", null, ("$name", v.Name)) is string)
                throw new AlreadyExistsException($"volume {v.Name} already exists");
            Exec("INSERT INTO volumes (name, driver, created, labels_json, options_json, anonymous) VALUES ($name, $driver, $created, $labels, $options, $anon);",
                null, ("$name", v.Name), ("$driver", v.Driver), ("$created", FormatTime(v.CreatedAt)), ("$labels", MapToJson(v.Labels)),
                ("$options", MapToJson(v.Options)), ("$anon", v.Anonymous ? 1 : 0));
        }
    }

    public VolumeRecord? GetVolume(string name) => QueryVolumes("WHERE name = $name", ("$name", name)).FirstOrDefault();

    public IReadOnlyList<VolumeRecord> ListVolumes() => QueryVolumes("ORDER BY name");

    public bool DeleteVolume(string name)
    {
        lock (_lock)
        {
            using var cmd = Command("DELETE FROM volumes WHERE name = $name;", null, ("$name", name));
            return cmd.ExecuteNonQuery() > 0;
        }
    }

    private List<VolumeRecord> QueryVolumes(string where, params (string, object?)[] args)
    {
        lock (_lock)
        {
            using var cmd = Command($"SELECT name, driver, created, labels_json, options_json, anonymous FROM volumes {where};", null, args);
            using var rd = cmd.ExecuteReader();
            var list = new List<VolumeRecord>();
            while (rd.Read())
            {
                list.Add(new VolumeRecord(rd.GetString(0), rd.GetString(1), ParseTime(rd.GetString(2)), JsonToMap(rd.GetString(3)),
                    JsonToMap(rd.GetString(4)), rd.GetInt64(5) != 0));
            }
            return list;
        }
    }

    // A flat string map needs no serializer context: write and read it with the low-level JSON API.
    private static string MapToJson(IReadOnlyDictionary<string, string> map)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            foreach (var (k, v) in map.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteString(k, v);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static Dictionary<string, string> JsonToMap(string json)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(json);
        foreach (var p in doc.RootElement.EnumerateObject()) map[p.Name] = p.Value.GetString() ?? "";
        return map;
    }
}
