using System.Globalization;

namespace Berth.Compose.Loader;

/// <summary>Typed reads from nodes with Compose's lenient casting (interpolated values are strings), failing with file:line: path.</summary>
internal static class NodeReader
{
    public static string? String(Node node, string path) => node switch
    {
        ScalarNode s => s.Value,
        _ => throw Errors.At(node, path, $"must be a string, not a {node.Kind}"),
    };

    public static string RequiredString(Node node, string path)
        => String(node, path) ?? throw Errors.At(node, path, "must be a string, not null");

    public static bool? Bool(Node node, string path)
    {
        var s = String(node, path);
        if (s is null) return null;
        return s.ToLowerInvariant() switch
        {
            "true" or "yes" or "y" or "on" or "1" => true,
            "false" or "no" or "n" or "off" or "0" => false,
            _ => throw Errors.At(node, path, $"invalid boolean \"{s}\""),
        };
    }

    public static long? Long(Node node, string path)
    {
        var s = String(node, path);
        if (s is null) return null;
        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)) return v;
        throw Errors.At(node, path, $"invalid integer \"{s}\"");
    }

    public static int? Int(Node node, string path)
    {
        var v = Long(node, path);
        if (v is null) return null;
        if (v is < int.MinValue or > int.MaxValue) throw Errors.At(node, path, $"integer out of range \"{v}\"");
        return (int)v;
    }

    public static double? Double(Node node, string path)
    {
        var s = String(node, path);
        if (s is null) return null;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return v;
        throw Errors.At(node, path, $"invalid number \"{s}\"");
    }

    public static TimeSpan? Duration(Node node, string path)
    {
        var s = String(node, path);
        if (s is null) return null;
        if (Units.TryParseDuration(s, out var d)) return d;
        throw Errors.At(node, path, $"invalid duration \"{s}\"");
    }

    public static long? Bytes(Node node, string path)
    {
        var s = String(node, path);
        if (s is null) return null;
        if (Units.TryParseBytes(s, out var b)) return b;
        throw Errors.At(node, path, $"invalid size \"{s}\"");
    }

    /// <summary>A list of strings; a single string becomes a one-item list when <paramref name="allowString"/>.</summary>
    public static List<string> StringList(Node node, string path, bool allowString = true)
    {
        switch (node)
        {
            case ScalarNode { IsNull: true }:
                return [];
            case ScalarNode s when allowString:
                return [s.Value!];
            case SequenceNode seq:
                var list = new List<string>(seq.Items.Count);
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    var item = seq.Items[i];
                    if (item is not ScalarNode { Value: { } v }) throw Errors.At(item, $"{path}[{i}]", $"must be a string, not a {item.Kind}");
                    list.Add(v);
                }
                return list;
            default:
                throw Errors.At(node, path, allowString ? $"must be a string or a list of strings, not a {node.Kind}" : $"must be a list, not a {node.Kind}");
        }
    }

    /// <summary>A mapping or a list of "KEY=VALUE" in declaration order. "KEY" alone (or KEY: null) yields a null value.</summary>
    public static List<KeyValuePair<string, string?>> MapOrList(Node node, string path, bool hosts = false)
    {
        var result = new List<KeyValuePair<string, string?>>();
        switch (node)
        {
            case ScalarNode { IsNull: true }:
                return result;
            case MappingNode map:
                foreach (var e in map.Entries)
                {
                    if (e.Value is not ScalarNode s) throw Errors.At(e.Value, $"{path}.{e.Key}", $"must be a string, number, boolean or null, not a {e.Value.Kind}");
                    Put(result, e.Key, s.Value);
                }
                return result;
            case SequenceNode seq:
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    if (seq.Items[i] is not ScalarNode { Value: { } text }) throw Errors.At(seq.Items[i], $"{path}[{i}]", "must be a string");
                    var (k, v) = NodeShapes.SplitEntry(text, hosts);
                    Put(result, k, v);
                }
                return result;
            default:
                throw Errors.At(node, path, $"must be a mapping or a list, not a {node.Kind}");
        }
    }

    /// <summary>Like <see cref="MapOrList"/> with null values turned into empty strings (labels, sysctls, options).</summary>
    public static SortedDictionary<string, string> StringMap(Node node, string path)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in MapOrList(node, path)) result[k] = v ?? "";
        return result;
    }

    public static MappingNode Mapping(Node node, string path)
        => node as MappingNode ?? throw Errors.At(node, path, $"must be a mapping, not a {node.Kind}");

    private static void Put(List<KeyValuePair<string, string?>> list, string key, string? value)
    {
        var at = list.FindIndex(kv => kv.Key == key);
        if (at >= 0) list[at] = new(key, value);
        else list.Add(new(key, value));
    }
}
