namespace Berth.Compose.Loader;

internal sealed class SequenceNode(SourceLocation source) : Node(source)
{
    public List<Node> Items { get; } = [];

    public override Node DeepClone()
    {
        var copy = new SequenceNode(Source) { Tag = Tag };
        foreach (var item in Items) copy.Items.Add(item.DeepClone());
        return copy;
    }

    public override void Rebase(Func<SourceLocation, SourceLocation> change)
    {
        Source = change(Source);
        foreach (var item in Items) item.Rebase(change);
    }
}
