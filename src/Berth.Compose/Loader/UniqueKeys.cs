namespace Berth.Compose.Loader;

/// <summary>Sequences whose entries are unique by a key after a merge (compose-go override/uncity.go): a later entry
/// with the same key replaces the earlier one in place.</summary>
internal static class UniqueKeys
{
    private static readonly Dictionary<string, Func<Node, string?>> Indexers = new(StringComparer.Ordinal)
    {
        ["services.*.ports"] = PortKey,
        ["services.*.volumes"] = VolumeKey,
        ["services.*.secrets"] = n => MountKey(n, "/run/secrets/"),
        ["services.*.configs"] = n => MountKey(n, "/"),
        ["services.*.expose"] = Scalar,
        ["services.*.dns"] = Scalar,
        ["services.*.dns_opt"] = Scalar,
        ["services.*.dns_search"] = Scalar,
        ["services.*.cap_add"] = Scalar,
        ["services.*.cap_drop"] = Scalar,
        ["services.*.profiles"] = Scalar,
        ["services.*.links"] = Scalar,
        ["services.*.tmpfs"] = Scalar,
        ["services.*.security_opt"] = Scalar,
        ["services.*.build.tags"] = Scalar,
        ["services.*.build.cache_from"] = Scalar,
        ["services.*.networks.*.aliases"] = Scalar,
        ["services.*.env_file"] = n => n is MappingNode m ? (m.Get("path") as ScalarNode)?.Value : Scalar(n),
        ["services.*.devices"] = n => n is MappingNode m ? (m.Get("target") as ScalarNode)?.Value : Scalar(n)?.Split(':') is [_, var t, ..] ? t : Scalar(n),
    };

    public static bool IsUnique(string path) => Indexers.ContainsKey(path);

    public static SequenceNode Enforce(SequenceNode seq, string path)
    {
        if (!Indexers.TryGetValue(path, out var indexer)) return seq;
        var result = new SequenceNode(seq.Source);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in seq.Items)
        {
            var key = indexer(item);
            if (key is not null && seen.TryGetValue(key, out var at)) { result.Items[at] = item; continue; }
            if (key is not null) seen[key] = result.Items.Count;
            result.Items.Add(item);
        }
        return result;
    }

    private static string? Scalar(Node n) => (n as ScalarNode)?.Value;

    private static string? PortKey(Node n)
    {
        if (n is ScalarNode s) return s.Value;
        if (n is not MappingNode m) return null;
        string V(string k, string d) => (m.Get(k) as ScalarNode)?.Value ?? d;
        return $"{V("host_ip", "0.0.0.0")}:{V("published", "")}:{V("target", "")}/{V("protocol", "tcp")}";
    }

    private static string? VolumeKey(Node n) => n switch
    {
        MappingNode m => (m.Get("target") as ScalarNode)?.Value,
        ScalarNode { Value: { } v } => VolumeSpecParser.TryTarget(v),
        _ => null,
    };

    private static string? MountKey(Node n, string prefix) => n switch
    {
        ScalarNode { Value: { } v } => prefix + v,
        MappingNode m => (m.Get("target") as ScalarNode)?.Value ?? prefix + (m.Get("source") as ScalarNode)?.Value,
        _ => null,
    };
}
