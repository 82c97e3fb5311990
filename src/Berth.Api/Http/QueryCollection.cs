using System.Collections;
using System.Globalization;

namespace Berth.Api.Http;

/// <summary>Query parameters in order of appearance; names are case-sensitive, as in Go's url.Values.</summary>
public sealed class QueryCollection : IEnumerable<KeyValuePair<string, string>>
{
    internal static readonly QueryCollection Empty = new([]);

    private readonly List<KeyValuePair<string, string>> _items;

    private QueryCollection(List<KeyValuePair<string, string>> items) => _items = items;

    public int Count => _items.Count;

    /// <summary>Parses the part after '?' (without it) like Go's url.ParseQuery: '&amp;'-separated, '+' is a space.</summary>
    public static QueryCollection Parse(ReadOnlySpan<char> query)
    {
        if (query.IsEmpty) return Empty;
        var items = new List<KeyValuePair<string, string>>(4);
        foreach (var range in query.Split('&'))
        {
            var part = query[range];
            if (part.IsEmpty) continue;
            var eq = part.IndexOf('=');
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? [] : part[(eq + 1)..];
            items.Add(new(PercentEncoding.Decode(key, plusAsSpace: true), PercentEncoding.Decode(value, plusAsSpace: true)));
        }
        return new QueryCollection(items);
    }

    /// <summary>First value of <paramref name="name"/>, or null when absent.</summary>
    public string? Get(string name)
    {
        foreach (var kv in _items)
            if (kv.Key == name) return kv.Value;
        return null;
    }

    public IReadOnlyList<string> GetAll(string name)
    {
        List<string>? all = null;
        foreach (var kv in _items)
            if (kv.Key == name) (all ??= []).Add(kv.Value);
        return all ?? (IReadOnlyList<string>)[];
    }

    public bool Has(string name) => Get(name) is not null;

    /// <summary>
    /// moby's BoolValueOrDefault: absent gives <paramref name="defaultValue"/>; "", "0", "no", "false", "none"
    /// (any case, trimmed) are false; anything else is true.
    /// </summary>
    public bool GetBool(string name, bool defaultValue = false)
    {
        var v = Get(name);
        if (v is null) return defaultValue;
        var s = v.AsSpan().Trim();
        return !(s.IsEmpty || s.Equals("0", StringComparison.Ordinal) || s.Equals("no", StringComparison.OrdinalIgnoreCase)
            || s.Equals("false", StringComparison.OrdinalIgnoreCase) || s.Equals("none", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Absent or empty gives <paramref name="defaultValue"/>; anything not an integer throws <see cref="FormatException"/> (a 400).</summary>
    public int GetInt(string name, int defaultValue = 0)
    {
        var v = Get(name);
        if (string.IsNullOrEmpty(v)) return defaultValue;
        return int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw Invalid(name, v);
    }

    /// <inheritdoc cref="GetInt"/>
    public long GetLong(string name, long defaultValue = 0)
    {
        var v = Get(name);
        if (string.IsNullOrEmpty(v)) return defaultValue;
        return long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw Invalid(name, v);
    }

    public List<KeyValuePair<string, string>>.Enumerator GetEnumerator() => _items.GetEnumerator();

    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    private static FormatException Invalid(string name, string value) =>
        new($"invalid value for query parameter \"{name}\": strconv.ParseInt: parsing \"{value}\": invalid syntax");
}
