using System.Collections;

namespace Berth.Api.Http;

/// <summary>
/// HTTP headers in arrival (or insertion) order; names compare case-insensitively. A short list beats a dictionary
/// here: requests and responses carry a handful of headers.
/// </summary>
public sealed class HeaderCollection : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _items = new(8);
    private bool _readOnly;

    public int Count => _items.Count;

    /// <summary>First value of <paramref name="name"/>, or null.</summary>
    public string? this[string name]
    {
        get => Get(name);
        set
        {
            if (value is null) Remove(name);
            else Set(name, value);
        }
    }

    public string? Get(string name)
    {
        foreach (var kv in _items)
            if (string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)) return kv.Value;
        return null;
    }

    public IReadOnlyList<string> GetAll(string name)
    {
        List<string>? all = null;
        foreach (var kv in _items)
            if (string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)) (all ??= []).Add(kv.Value);
        return all ?? (IReadOnlyList<string>)[];
    }

    public bool Has(string name) => Get(name) is not null;

    /// <summary>Replaces every value of <paramref name="name"/> with <paramref name="value"/>.</summary>
    public void Set(string name, string value)
    {
        Validate(name, value);
        for (var i = 0; i < _items.Count; i++)
        {
            if (!string.Equals(_items[i].Key, name, StringComparison.OrdinalIgnoreCase)) continue;
            _items[i] = new(_items[i].Key, value);
            for (var j = _items.Count - 1; j > i; j--)
                if (string.Equals(_items[j].Key, name, StringComparison.OrdinalIgnoreCase)) _items.RemoveAt(j);
            return;
        }
        _items.Add(new(name, value));
    }

    public void Add(string name, string value)
    {
        Validate(name, value);
        _items.Add(new(name, value));
    }

    public bool Remove(string name)
    {
        ThrowIfReadOnly();
        return _items.RemoveAll(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)) > 0;
    }

    public List<KeyValuePair<string, string>>.Enumerator GetEnumerator() => _items.GetEnumerator();

    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <summary>Parser path: no validation (the parser already checked) and no read-only check.</summary>
    internal void AddParsed(string name, string value) => _items.Add(new(name, value));

    internal void MakeReadOnly() => _readOnly = true;

    internal void Clear()
    {
        ThrowIfReadOnly();
        _items.Clear();
    }

    /// <summary>True when the comma-separated value of <paramref name="name"/> contains <paramref name="token"/>.</summary>
    internal bool ContainsToken(string name, string token)
    {
        foreach (var kv in _items)
        {
            if (!string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var range in kv.Value.AsSpan().Split(','))
                if (kv.Value.AsSpan()[range].Trim().Equals(token, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private void Validate(string name, string value)
    {
        ThrowIfReadOnly();
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        // A CR or LF would let a value inject headers or a second response.
        if (name.AsSpan().IndexOfAny("\r\n: ") >= 0) throw new ArgumentException($"invalid header name '{name}'", nameof(name));
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0) throw new ArgumentException($"header value for '{name}' contains CR or LF", nameof(value));
    }

    private void ThrowIfReadOnly()
    {
        if (_readOnly) throw new InvalidOperationException("headers cannot be changed after the response has started");
    }
}
