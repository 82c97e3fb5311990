namespace Berth.Compose.Loader;

/// <summary>An ordered mapping with string keys; each entry keeps the line of its key.</summary>
internal sealed class MappingNode(SourceLocation source) : Node(source)
{
    private readonly List<MappingEntry> _entries = [];

    public IReadOnlyList<MappingEntry> Entries => _entries;
    public IEnumerable<string> Keys => _entries.Select(e => e.Key);
    public int Count => _entries.Count;

    public Node? Get(string key)
    {
        foreach (var e in _entries) if (e.Key == key) return e.Value;
        return null;
    }

    public bool TryGet(string key, out Node value)
    {
        value = Get(key)!;
        return value is not null;
    }

    public int LineOf(string key)
    {
        foreach (var e in _entries) if (e.Key == key) return e.KeyLine;
        return Source.Line;
    }

    public void Set(string key, Node value, int keyLine = 0)
    {
        for (var i = 0; i < _entries.Count; i++)
        {
            if (_entries[i].Key != key) continue;
            _entries[i] = _entries[i] with { Value = value };
            return;
        }
        _entries.Add(new MappingEntry(key, keyLine == 0 ? value.Source.Line : keyLine, value));
    }

    public bool Remove(string key) => _entries.RemoveAll(e => e.Key == key) > 0;

    public override Node DeepClone()
    {
        var copy = new MappingNode(Source) { Tag = Tag };
        foreach (var e in _entries) copy._entries.Add(e with { Value = e.Value.DeepClone() });
        return copy;
    }

    public override void Rebase(Func<SourceLocation, SourceLocation> change)
    {
        Source = change(Source);
        foreach (var e in _entries) e.Value.Rebase(change);
    }
}
