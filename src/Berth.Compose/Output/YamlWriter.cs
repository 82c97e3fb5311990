using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Berth.Compose.Output;

/// <summary>Thin layer over YamlDotNet's event emitter (no serializer): block style, strings quoted when YAML would read them as something else.</summary>
internal sealed class YamlWriter
{
    private readonly Emitter _emitter;

    public YamlWriter(TextWriter writer)
    {
        _emitter = new Emitter(writer, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024, indentSequences: true));
        _emitter.Emit(new StreamStart());
        _emitter.Emit(new DocumentStart(null, null, isImplicit: true));
    }

    public void End()
    {
        _emitter.Emit(new DocumentEnd(isImplicit: true));
        _emitter.Emit(new StreamEnd());
    }

    public void BeginMap() => _emitter.Emit(new MappingStart(null, null, true, MappingStyle.Block));
    public void EndMap() => _emitter.Emit(new MappingEnd());
    public void BeginList() => _emitter.Emit(new SequenceStart(null, null, true, SequenceStyle.Block));
    public void EndList() => _emitter.Emit(new SequenceEnd());

    public void Key(string key) => String(key);

    public void String(string? value)
    {
        if (value is null) { Null(); return; }
        var style = NeedsQuotes(value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any;
        _emitter.Emit(new Scalar(null, null, value, style, true, true));
    }

    public void Number(double value) => Plain(value.ToString(CultureInfo.InvariantCulture));
    public void Number(long value) => Plain(value.ToString(CultureInfo.InvariantCulture));
    public void Bool(bool value) => Plain(value ? "true" : "false");
    public void Null() => Plain("null");

    public void Pair(string key, string? value) { if (value is not null) { Key(key); String(value); } }
    public void Pair(string key, long? value) { if (value is { } v) { Key(key); Number(v); } }
    public void Pair(string key, double? value) { if (value is { } v) { Key(key); Number(v); } }
    public void Flag(string key, bool value) { if (value) { Key(key); Bool(true); } }

    public void List(string key, IReadOnlyList<string> values)
    {
        if (values.Count == 0) return;
        Key(key);
        BeginList();
        foreach (var v in values) String(v);
        EndList();
    }

    public void Map(string key, IEnumerable<KeyValuePair<string, string>> values, bool sorted = true)
    {
        var list = sorted ? values.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList() : values.ToList();
        if (list.Count == 0) return;
        Key(key);
        BeginMap();
        foreach (var (k, v) in list) { Key(k); String(v); }
        EndMap();
    }

    private void Plain(string text) => _emitter.Emit(new Scalar(null, null, text, ScalarStyle.Plain, true, false));

    /// <summary>Strings YAML would parse as a number, boolean or null (or that are empty) must be quoted to survive a round trip.</summary>
    private static bool NeedsQuotes(string s)
    {
        if (s.Length == 0) return true;
        var lower = s.ToLowerInvariant();
        if (lower is "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n" or "null" or "~") return true;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return true;
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || s.StartsWith("0o", StringComparison.OrdinalIgnoreCase)) return true;
        return s.Contains(':', StringComparison.Ordinal) && s.All(c => char.IsAsciiDigit(c) || c == ':');
    }
}
