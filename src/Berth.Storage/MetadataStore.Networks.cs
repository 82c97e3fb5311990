namespace Berth.Storage;

/// <summary>Networks: one JSON document per network, keyed by id, names unique.</summary>
public sealed partial class MetadataStore
{
    // Idempotent and outside the versioned migration, so it composes with other tables added in parallel.
    private void EnsureNetworksTable() =>
        Exec("CREATE TABLE IF NOT EXISTS networks (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, config_json TEXT NOT NULL);");

    public void PutNetwork(string id, string name, string json)
    {
        lock (_lock)
        {
            Exec("""
                INSERT INTO networks (id, name, config_json) VALUES ($id, $name, $json)
                ON CONFLICT(id) DO UPDATE SET name = excluded.name, config_json = excluded.config_json;
                """, null, ("$id", id), ("$name", name), ("$json", json));
        }
    }

    public IReadOnlyList<(string Id, string Name, string Json)> ListNetworks()
    {
        lock (_lock)
        {
            using var cmd = Command("SELECT id, name, config_json FROM networks ORDER BY name;", null);
            using var rd = cmd.ExecuteReader();
            var list = new List<(string, string, string)>();
            while (rd.Read()) list.Add((rd.GetString(0), rd.GetString(1), rd.GetString(2)));
            return list;
        }
    }

    public void DeleteNetwork(string id)
    {
        lock (_lock) Exec("DELETE FROM networks WHERE id = $id;", null, ("$id", id));
    }
}
