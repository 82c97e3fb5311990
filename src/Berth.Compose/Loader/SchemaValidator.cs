using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Berth.Compose.Loader;

/// <summary>
/// Checks a merged tree against the embedded compose-spec.json for the two errors users make: unknown keys and the
/// wrong shape (mapping / list / scalar). Scalar types are checked later by the parsers, which cast like Compose does.
/// It also drops "x-" extension keys wherever the schema allows them, so later stages never see them.
/// </summary>
internal static class SchemaValidator
{
    private static readonly JsonElement RootSchema = LoadSchema();
    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    public static void Validate(MappingNode root) => Check(root, [RootSchema], "");

    private static JsonElement LoadSchema()
    {
        using var stream = typeof(SchemaValidator).Assembly.GetManifestResourceStream("compose-spec.json")
            ?? throw new InvalidOperationException("compose-spec.json resource missing");
        using var doc = JsonDocument.Parse(stream);
        return doc.RootElement.Clone();
    }

    private static void Check(Node node, List<JsonElement> schemas, string path)
    {
        var alts = new List<JsonElement>();
        foreach (var s in schemas) Expand(s, alts, 0);
        if (alts.Count == 0 || alts.Any(a => a.ValueKind == JsonValueKind.True)) return;
        if (node is ScalarNode { IsNull: true }) return;
        var fitting = alts.Where(a => Allows(a, node)).ToList();
        if (fitting.Count == 0) throw Errors.At(node, Display(path), $"must be {Describe(alts)}, not a {node.Kind}");
        switch (node)
        {
            case MappingNode map:
                CheckMapping(map, fitting, path);
                break;
            case SequenceNode seq:
                var items = new List<JsonElement>();
                foreach (var a in fitting)
                    if (a.ValueKind == JsonValueKind.Object && a.TryGetProperty("items", out var it)) items.Add(it);
                if (items.Count == 0) return;
                for (var i = 0; i < seq.Items.Count; i++) Check(seq.Items[i], items, $"{path}[{i}]");
                break;
        }
    }

    // A key with a lone surrogate names no property (and System.Text.Json refuses to look it up).
    private static bool IsWellFormed(string key)
    {
        for (var i = 0; i < key.Length; i++)
        {
            if (!char.IsSurrogate(key[i])) continue;
            if (!char.IsHighSurrogate(key[i]) || i + 1 >= key.Length || !char.IsLowSurrogate(key[i + 1])) return false;
            i++;
        }
        return true;
    }

    private static void CheckMapping(MappingNode map, List<JsonElement> alts, string path)
    {
        foreach (var entry in map.Entries.ToList())
        {
            var child = new List<JsonElement>();
            var allowed = false;
            var extensionOnly = true;
            foreach (var a in alts)
            {
                if (a.ValueKind != JsonValueKind.Object) { allowed = true; extensionOnly = false; continue; }
                if (a.TryGetProperty("properties", out var props) && IsWellFormed(entry.Key) && props.TryGetProperty(entry.Key, out var ps))
                {
                    child.Add(ps); allowed = true; extensionOnly = false; continue;
                }
                var matched = false;
                if (a.TryGetProperty("patternProperties", out var pats))
                {
                    foreach (var pp in pats.EnumerateObject())
                    {
                        if (!Pattern(pp.Name).IsMatch(entry.Key)) continue;
                        matched = true;
                        if (pp.Name != "^x-") extensionOnly = false;
                        child.Add(pp.Value);
                    }
                }
                if (matched) { allowed = true; continue; }
                if (!a.TryGetProperty("additionalProperties", out var ap) || ap.ValueKind == JsonValueKind.True)
                {
                    allowed = true; extensionOnly = false; continue;
                }
                if (ap.ValueKind == JsonValueKind.Object) { child.Add(ap); allowed = true; extensionOnly = false; }
            }
            var childPath = path.Length == 0 ? entry.Key : $"{path}.{entry.Key}";
            var keySource = entry.Value.Source with { Line = entry.KeyLine };
            if (!allowed)
                throw Errors.At(keySource, path.Length == 0 ? "(root)" : Display(path), $"additional property \"{entry.Key}\" is not allowed");
            if (extensionOnly && entry.Key.StartsWith("x-", StringComparison.Ordinal))
            {
                map.Remove(entry.Key);
                continue;
            }
            Check(entry.Value, child, childPath);
        }
    }

    private static void Expand(JsonElement s, List<JsonElement> into, int depth)
    {
        if (depth > 20) return;
        if (s.ValueKind != JsonValueKind.Object) { into.Add(s); return; }
        if (s.TryGetProperty("$ref", out var r))
        {
            var name = r.GetString()!["#/definitions/".Length..];
            Expand(RootSchema.GetProperty("definitions").GetProperty(name), into, depth + 1);
            return;
        }
        var combined = false;
        foreach (var k in (string[])["oneOf", "anyOf", "allOf"])
        {
            if (!s.TryGetProperty(k, out var list)) continue;
            combined = true;
            foreach (var alt in list.EnumerateArray()) Expand(alt, into, depth + 1);
        }
        if (!combined || s.TryGetProperty("properties", out _) || s.TryGetProperty("type", out _)) into.Add(s);
    }

    private static bool Allows(JsonElement schema, Node node)
    {
        if (schema.ValueKind != JsonValueKind.Object) return true;
        if (!schema.TryGetProperty("type", out var type))
            return node is MappingNode || !schema.TryGetProperty("properties", out _);
        var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()).ToList() : [type.GetString()];
        return node switch
        {
            MappingNode => types.Contains("object"),
            SequenceNode => types.Contains("array"),
            _ => types.Any(t => t is "string" or "number" or "integer" or "boolean"),
        };
    }

    private static string Describe(List<JsonElement> alts)
    {
        var kinds = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var a in alts)
        {
            if (a.ValueKind != JsonValueKind.Object || !a.TryGetProperty("type", out var t)) continue;
            var list = t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()!) : [t.GetString()!];
            foreach (var k in list)
                kinds.Add(k switch { "object" => "a mapping", "array" => "a list", "null" => "null", _ => "a " + k });
        }
        return kinds.Count == 0 ? "valid" : string.Join(" or ", kinds);
    }

    private static Regex Pattern(string p) => Patterns.GetOrAdd(p, static x => new Regex(x, RegexOptions.CultureInvariant));

    private static string Display(string path) => path.Replace(".[", "[", StringComparison.Ordinal);
}
