namespace Berth.Compose.Loader;

/// <summary>A YAML node of our own tree: carries its source so errors name file and line after merge, extends and include.</summary>
internal abstract class Node(SourceLocation source)
{
    public SourceLocation Source { get; set; } = source;

    /// <summary>"!reset" or "!override" (Compose merge tags), else null.</summary>
    public string? Tag { get; set; }

    public abstract Node DeepClone();

    /// <summary>Applies <paramref name="change"/> to the source of this node and all its children.</summary>
    public abstract void Rebase(Func<SourceLocation, SourceLocation> change);

    public string Kind => this switch
    {
        MappingNode => "mapping",
        SequenceNode => "sequence",
        ScalarNode { IsNull: true } => "null",
        _ => "string",
    };
}
