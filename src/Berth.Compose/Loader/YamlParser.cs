using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Berth.Compose.Loader;

/// <summary>Turns YAML text into our <see cref="Node"/> tree with YamlDotNet's representation model (no reflection),
/// resolving anchors, aliases and "&lt;&lt;" merge keys.</summary>
internal static class YamlParser
{
    public static MappingNode? Parse(string text, string file, string baseDir)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var inner = ex.InnerException?.Message;
            var msg = string.IsNullOrEmpty(inner) || inner == ex.Message ? ex.Message : $"{ex.Message} {inner}";
            throw new ComposeException($"{Path.GetFileName(file)}:{ex.Start.Line}: yaml: {msg}", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's representation model reports some malformed documents (an alias to an unknown or
            // still-open anchor, say) with these instead of a YamlException; they carry no position.
            throw new ComposeException($"{Path.GetFileName(file)}: yaml: {ex.Message}", ex);
        }
        if (stream.Documents.Count == 0) return null;
        if (stream.Documents.Count > 1)
            throw new ComposeException($"{Path.GetFileName(file)}: multiple YAML documents are not supported in a Compose file");
        var root = Convert(stream.Documents[0].RootNode, file, baseDir, 0);
        return root switch
        {
            MappingNode m => m,
            ScalarNode { IsNull: true } => null,
            _ => throw new ComposeException($"{Path.GetFileName(file)}:{root.Source.Line}: top-level object must be a mapping"),
        };
    }

    private static Node Convert(YamlNode node, string file, string baseDir, int depth)
    {
        // Aliases can build exponential trees ("billion laughs"); Compose files are never this deep.
        if (depth > 200) throw new ComposeException($"{Path.GetFileName(file)}:{node.Start.Line}: yaml: document nested too deeply");
        var src = new SourceLocation(file, (int)node.Start.Line, baseDir);
        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        string? composeTag = tag is "!reset" or "!override" ? tag : null;
        switch (node)
        {
            case YamlScalarNode s:
            {
                var quoted = s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded;
                var value = s.Value;
                if (!quoted && (tag is null || tag == "!reset") && value is "" or "~" or "null" or "Null" or "NULL") value = null;
                if (tag == "tag:yaml.org,2002:null") value = null;
                return new ScalarNode(src, value, quoted || tag == "tag:yaml.org,2002:str") { Tag = composeTag };
            }
            case YamlSequenceNode seq:
            {
                var result = new SequenceNode(src) { Tag = composeTag };
                foreach (var child in seq.Children) result.Items.Add(Convert(child, file, baseDir, depth + 1));
                return result;
            }
            case YamlMappingNode map:
            {
                var result = new MappingNode(src) { Tag = composeTag };
                var merges = new List<MappingNode>();
                foreach (var (k, v) in map.Children)
                {
                    if (k is not YamlScalarNode keyNode || keyNode.Value is null)
                        throw new ComposeException($"{Path.GetFileName(file)}:{k.Start.Line}: yaml: mapping keys must be strings");
                    var key = keyNode.Value;
                    if (key == "<<" && keyNode.Style == ScalarStyle.Plain)
                    {
                        var merged = Convert(v, file, baseDir, depth + 1);
                        if (merged is MappingNode mm) merges.Add(mm);
                        else if (merged is SequenceNode ms) merges.AddRange(ms.Items.OfType<MappingNode>());
                        else throw new ComposeException($"{Path.GetFileName(file)}:{k.Start.Line}: yaml: map merge requires map or sequence of maps as the value");
                        continue;
                    }
                    if (result.Get(key) is not null)
                        throw new ComposeException($"{Path.GetFileName(file)}:{k.Start.Line}: yaml: mapping key \"{key}\" already defined");
                    result.Set(key, Convert(v, file, baseDir, depth + 1), (int)k.Start.Line);
                }
                // YAML merge keys: explicit keys win, then earlier merge sources win over later ones.
                foreach (var m in merges)
                    foreach (var e in m.Entries)
                        if (result.Get(e.Key) is null) result.Set(e.Key, e.Value.DeepClone(), e.KeyLine);
                return result;
            }
            default:
                throw new ComposeException($"{Path.GetFileName(file)}:{node.Start.Line}: yaml: unsupported node");
        }
    }
}
