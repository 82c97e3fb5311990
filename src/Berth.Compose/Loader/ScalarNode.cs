namespace Berth.Compose.Loader;

/// <summary>A scalar. Quoted is true for quoted styles (then "true" or "123" stay strings for YAML, though Compose casts anyway).</summary>
internal sealed class ScalarNode(SourceLocation source, string? value, bool quoted) : Node(source)
{
    public string? Value { get; set; } = value;
    public bool Quoted { get; } = quoted;
    public bool IsNull => Value is null;

    public override Node DeepClone() => new ScalarNode(Source, Value, Quoted) { Tag = Tag };

    public override void Rebase(Func<SourceLocation, SourceLocation> change) => Source = change(Source);
}
