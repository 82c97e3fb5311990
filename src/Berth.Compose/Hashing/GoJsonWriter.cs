using System.Globalization;
using System.Text;

namespace Berth.Compose.Hashing;

/// <summary>
/// Writes JSON byte for byte as Go's <c>encoding/json</c> <c>Marshal</c> does: no whitespace, strings escaped with Go's rules
/// (<c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, U+2028 and U+2029 as <c>\u003c</c>…, <c>\b \f \n \r \t</c> short forms, other
/// control characters as <c>\u00XX</c> in lowercase hex, invalid UTF-16 as <c>\ufffd</c>) and map keys sorted by their
/// UTF-8 bytes. The field-level helpers implement <c>omitempty</c>: they write nothing for an empty value.
/// </summary>
internal sealed class GoJsonWriter
{
    private readonly StringBuilder _sb = new();
    private readonly Stack<bool> _first = new();
    private bool _afterName;

    public override string ToString() => _sb.ToString();

    public GoJsonWriter BeginObject()
    {
        Prefix();
        _sb.Append('{');
        _first.Push(true);
        return this;
    }

    public GoJsonWriter EndObject()
    {
        _first.Pop();
        _sb.Append('}');
        return this;
    }

    public GoJsonWriter BeginArray()
    {
        Prefix();
        _sb.Append('[');
        _first.Push(true);
        return this;
    }

    public GoJsonWriter EndArray()
    {
        _first.Pop();
        _sb.Append(']');
        return this;
    }

    public GoJsonWriter Name(string name)
    {
        Prefix();
        AppendString(name);
        _sb.Append(':');
        _afterName = true;
        return this;
    }

    public GoJsonWriter String(string value)
    {
        Prefix();
        AppendString(value);
        return this;
    }

    public GoJsonWriter Null()
    {
        Prefix();
        _sb.Append("null");
        return this;
    }

    public GoJsonWriter Bool(bool value)
    {
        Prefix();
        _sb.Append(value ? "true" : "false");
        return this;
    }

    public GoJsonWriter Number(long value)
    {
        Prefix();
        _sb.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    /// <summary>A float32 field (<c>cpus</c>) as Go formats one.</summary>
    public GoJsonWriter Float32(float value)
    {
        Prefix();
        _sb.Append(GoFormat.Float32(value));
        return this;
    }

    // omitempty helpers: Go leaves out "", 0, false, nil and empty slices and maps.

    public void OptString(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) Name(name).String(value);
    }

    public void OptBool(string name, bool value)
    {
        if (value) Name(name).Bool(true);
    }

    public void OptNumber(string name, long? value)
    {
        if (value is { } v && v != 0) Name(name).Number(v);
    }

    /// <summary>A <c>UnitBytes</c> field: its MarshalJSON writes the decimal count as a string.</summary>
    public void OptUnitBytes(string name, long? value)
    {
        if (value is { } v && v != 0) Name(name).String(v.ToString(CultureInfo.InvariantCulture));
    }

    public void OptStringList(string name, IReadOnlyList<string>? values)
    {
        if (values is null || values.Count == 0) return;
        Name(name).StringArray(values);
    }

    public GoJsonWriter StringArray(IEnumerable<string> values)
    {
        BeginArray();
        foreach (var v in values) String(v);
        return EndArray();
    }

    public void OptStringMap(string name, IReadOnlyDictionary<string, string>? map)
    {
        if (map is null || map.Count == 0) return;
        Name(name).BeginObject();
        foreach (var key in SortedKeys(map.Keys)) Name(key).String(map[key]);
        EndObject();
    }

    /// <summary>Go orders map keys by their bytes, which for UTF-8 is code point order (not UTF-16 order).</summary>
    public static IEnumerable<string> SortedKeys(IEnumerable<string> keys) => keys.Order(Utf8Order.Instance);

    private void Prefix()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }
        if (_first.Count == 0) return;
        if (_first.Peek()) { _first.Pop(); _first.Push(false); }
        else _sb.Append(',');
    }

    private void AppendString(string s)
    {
        const string hex = "0123456789abcdef";
        _sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': _sb.Append("\\\""); continue;
                case '\\': _sb.Append("\\\\"); continue;
                case '\b': _sb.Append("\\b"); continue;
                case '\f': _sb.Append("\\f"); continue;
                case '\n': _sb.Append("\\n"); continue;
                case '\r': _sb.Append("\\r"); continue;
                case '\t': _sb.Append("\\t"); continue;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    _sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    continue;
            }
            if (c < 0x20)
            {
                _sb.Append("\\u00").Append(hex[c >> 4]).Append(hex[c & 0xF]);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                _sb.Append(c).Append(s[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                // Unpaired: Go sees invalid UTF-8 there and writes the replacement character escaped.
                _sb.Append("\\ufffd");
            }
            else
            {
                _sb.Append(c);
            }
        }
        _sb.Append('"');
    }

    private sealed class Utf8Order : IComparer<string>
    {
        public static readonly Utf8Order Instance = new();

        public int Compare(string? x, string? y) =>
            Encoding.UTF8.GetBytes(x ?? "").AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y ?? ""));
    }
}
