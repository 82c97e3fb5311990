namespace Berth.Compose.Loader;

internal sealed partial class ProjectLoader
{
    /// <summary>Interpolates every scalar value (never keys), as compose-go does, reporting errors with file:line and key path.</summary>
    private static void InterpolateTree(Node node, string path, LoadContext ctx)
    {
        switch (node)
        {
            case ScalarNode { Value: { } v } s:
                s.Value = Substitute(v, s, path, ctx);
                break;
            case SequenceNode seq:
                for (var i = 0; i < seq.Items.Count; i++) InterpolateTree(seq.Items[i], $"{path}[{i}]", ctx);
                break;
            case MappingNode map:
                foreach (var e in map.Entries) InterpolateTree(e.Value, path.Length == 0 ? e.Key : $"{path}.{e.Key}", ctx);
                break;
        }
    }

    private static string Substitute(string value, Node node, string path, LoadContext ctx)
    {
        try
        {
            return Interpolator.Substitute(value, ctx.Lookup,
                name => ctx.Warn($"The \"{name}\" variable is not set. Defaulting to a blank string."));
        }
        catch (InterpolationException ex)
        {
            throw Errors.At(node, path, ex.Message);
        }
    }
}
