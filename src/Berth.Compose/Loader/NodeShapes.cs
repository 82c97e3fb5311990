namespace Berth.Compose.Loader;

/// <summary>Converts between the list and map spellings Compose allows for the same key.</summary>
internal static class NodeShapes
{
    /// <summary>["K=V", "K"] → {K: V, K: null}; depends_on/networks lists → {name: null}; extra_hosts "h:ip" → {h: ip}. Maps pass through.</summary>
    public static Node ListToMap(Node node, string path)
    {
        if (node is not SequenceNode seq) return node;
        var map = new MappingNode(seq.Source) { Tag = seq.Tag };
        var nameOnly = path.EndsWith(".depends_on", StringComparison.Ordinal) || path.EndsWith(".networks", StringComparison.Ordinal);
        var hosts = path.EndsWith("extra_hosts", StringComparison.Ordinal);
        foreach (var item in seq.Items)
        {
            if (item is not ScalarNode { Value: { } text } s) throw Errors.At(item, Paths.Display(path), "must be a list of strings");
            if (nameOnly)
            {
                map.Set(text, new ScalarNode(s.Source, null, false), s.Source.Line);
                continue;
            }
            var (key, value) = SplitEntry(text, hosts);
            map.Set(key, new ScalarNode(s.Source, value, true), s.Source.Line);
        }
        return map;
    }

    /// <summary>Splits "K=V" (or "host:ip" / "host=ip" for extra_hosts, where IPv6 addresses contain colons).</summary>
    public static (string Key, string? Value) SplitEntry(string text, bool hosts)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (hosts)
        {
            if (eq < 0) eq = text.IndexOf(':', StringComparison.Ordinal);
            return eq < 0 ? (text, null) : (text[..eq], text[(eq + 1)..]);
        }
        return eq < 0 ? (text, null) : (text[..eq], text[(eq + 1)..]);
    }
}
