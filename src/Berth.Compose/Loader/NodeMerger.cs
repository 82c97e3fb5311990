namespace Berth.Compose.Loader;

/// <summary>
/// Merges Compose trees with the specification's rules (compose-go override package): mappings merge recursively,
/// command/entrypoint/healthcheck.test are replaced, key=value lists (environment, labels…) merge by key,
/// ports/volumes/secrets/… are appended then de-duplicated by their unique key (later wins, first position kept),
/// and the "!reset" / "!override" tags remove or replace a value.
/// </summary>
internal static class NodeMerger
{
    private static readonly HashSet<string> Replaced = new(StringComparer.Ordinal)
    {
        "services.*.command", "services.*.entrypoint", "services.*.healthcheck.test", "services.*.ulimits.*",
    };

    private static readonly HashSet<string> KeyValueMaps = new(StringComparer.Ordinal)
    {
        "services.*.environment", "services.*.labels", "services.*.annotations", "services.*.sysctls",
        "services.*.build.args", "services.*.build.labels", "services.*.deploy.labels", "services.*.extra_hosts",
        "services.*.build.extra_hosts", "networks.*.labels", "volumes.*.labels", "services.*.build.additional_contexts",
        "services.*.depends_on", "services.*.networks",
    };

    /// <summary>Merges <paramref name="over"/> onto <paramref name="base"/>; returns null when the result is reset.</summary>
    public static Node? Merge(Node? @base, Node over, string path)
    {
        if (over.Tag == "!reset") return null;
        if (over.Tag == "!override" || @base is null) return Clean(over.DeepClone());
        if (Replaced.Contains(path)) return over.DeepClone();
        if (path == "services.*.build")
        {
            @base = BuildToMap(@base);
            over = BuildToMap(over);
        }
        if (path == "services.*.logging" && @base is MappingNode lb && over is MappingNode lo
            && lb.Get("driver") is ScalarNode bd && lo.Get("driver") is ScalarNode od && bd.Value != od.Value)
            return over.DeepClone();
        if (KeyValueMaps.Contains(path))
        {
            @base = NodeShapes.ListToMap(@base, path);
            over = NodeShapes.ListToMap(over, path);
        }
        if (@base is MappingNode bm && over is MappingNode om) return MergeMaps(bm, om, path);
        if (UniqueKeys.IsUnique(path) || @base is SequenceNode || over is SequenceNode)
        {
            var bs = AsSequence(@base);
            var os = AsSequence(over);
            if (bs is not null && os is not null)
            {
                var result = new SequenceNode(bs.Source);
                result.Items.AddRange(bs.Items.Select(i => i.DeepClone()));
                result.Items.AddRange(os.Items.Select(i => i.DeepClone()));
                return UniqueKeys.Enforce(result, path);
            }
        }
        return over.DeepClone();
    }

    private static MappingNode MergeMaps(MappingNode @base, MappingNode over, string path)
    {
        var result = (MappingNode)@base.DeepClone();
        result.Tag = null;
        foreach (var entry in over.Entries)
        {
            var childPath = ChildPath(path, entry.Key);
            var merged = Merge(result.Get(entry.Key), entry.Value, childPath);
            if (merged is null) result.Remove(entry.Key);
            else result.Set(entry.Key, merged, entry.KeyLine);
        }
        return result;
    }

    /// <summary>Strips merge tags from a subtree taken as is (a "!reset" inside a new value just disappears).</summary>
    private static Node Clean(Node node)
    {
        node.Tag = null;
        if (node is MappingNode m)
        {
            foreach (var e in m.Entries.ToList())
            {
                if (e.Value.Tag == "!reset") m.Remove(e.Key);
                else Clean(e.Value);
            }
        }
        else if (node is SequenceNode s)
        {
            s.Items.RemoveAll(i => i.Tag == "!reset");
            foreach (var i in s.Items) Clean(i);
        }
        return node;
    }

    /// <summary>The pattern path of a child: names under services/networks/volumes/configs/secrets become "*".</summary>
    public static string ChildPath(string path, string key)
    {
        if (path.Length == 0) return key;
        if (path is "services" or "networks" or "volumes" or "configs" or "secrets" or "services.*.ulimits") return path + ".*";
        return path + "." + key;
    }

    private static Node BuildToMap(Node node)
    {
        if (node is not ScalarNode s) return node;
        var map = new MappingNode(s.Source);
        map.Set("context", s);
        return map;
    }

    private static SequenceNode? AsSequence(Node node) => node switch
    {
        SequenceNode s => s,
        ScalarNode { IsNull: false } sc => Single(sc),
        _ => null,
    };

    private static SequenceNode Single(ScalarNode s)
    {
        var seq = new SequenceNode(s.Source);
        seq.Items.Add(s);
        return seq;
    }
}
