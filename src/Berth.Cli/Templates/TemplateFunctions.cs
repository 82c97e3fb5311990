using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Cli.Templates;

/// <summary>Go's builtin template functions plus the ones docker adds (cli/templates: json, split, join, title, lower,
/// upper, pad, truncate), and the header variants docker uses so <c>table {{upper .Name}}</c> keeps its header.</summary>
internal static class TemplateFunctions
{
    public static readonly IReadOnlyDictionary<string, TemplateFunction> Basic = BuildBasic();

    /// <summary>Like docker's HeaderFunctions: string functions return their first argument so headers stay intact;
    /// <c>pad</c> keeps padding so headers line up with the padded cells.</summary>
    public static readonly IReadOnlyDictionary<string, TemplateFunction> Header = BuildHeader();

    private static Dictionary<string, TemplateFunction> BuildBasic() => new(StringComparer.Ordinal)
    {
        ["and"] = a => { foreach (var x in a) if (!TemplateValues.IsTrue(x)) return x; return a[^1]; },
        ["or"] = a => { foreach (var x in a) if (TemplateValues.IsTrue(x)) return x; return a[^1]; },
        ["not"] = a => { Arity("not", a, 1); return !TemplateValues.IsTrue(a[0]); },
        ["len"] = Len,
        ["index"] = Index,
        ["print"] = a => Sprint(a),
        ["println"] = a => string.Join(' ', a.Select(x => TemplateValues.Print(x))) + "\n",
        ["printf"] = a => a.Length == 0 ? throw new TemplateException("wrong number of args for printf: want at least 1 got 0")
            : GoFormat.Sprintf(Str("printf", a[0]), a[1..]),
        ["eq"] = a => { if (a.Length < 2) throw new TemplateException("missing argument for comparison"); return a.Skip(1).Any(b => Compare.Equal(a[0], b)); },
        ["ne"] = a => { Arity("ne", a, 2); return !Compare.Equal(a[0], a[1]); },
        ["lt"] = a => { Arity("lt", a, 2); return Compare.Order(a[0], a[1]) < 0; },
        ["le"] = a => { Arity("le", a, 2); return Compare.Order(a[0], a[1]) <= 0; },
        ["gt"] = a => { Arity("gt", a, 2); return Compare.Order(a[0], a[1]) > 0; },
        ["ge"] = a => { Arity("ge", a, 2); return Compare.Order(a[0], a[1]) >= 0; },
        ["urlquery"] = a => Uri.EscapeDataString(Sprint(a)).Replace("%20", "+", StringComparison.Ordinal),
        ["html"] = a => System.Net.WebUtility.HtmlEncode(Sprint(a)),
        ["json"] = a => { Arity("json", a, 1); return GoJson.Serialize(a[0], escapeHtml: false); },
        ["split"] = a =>
        {
            Arity("split", a, 2);
            var s = Str("split", a[0]);
            var sep = Str("split", a[1]);
            if (sep.Length == 0) return s.Select(c => (object?)c.ToString()).ToList();
            return s.Split(sep).Select(x => (object?)x).ToList();
        },
        ["join"] = Join,
        ["title"] = a => { Arity("title", a, 1); return Title(Str("title", a[0])); },
        ["lower"] = a => { Arity("lower", a, 1); return Str("lower", a[0]).ToLowerInvariant(); },
        ["upper"] = a => { Arity("upper", a, 1); return Str("upper", a[0]).ToUpperInvariant(); },
        ["pad"] = a =>
        {
            Arity("pad", a, 3);
            var s = Str("pad", a[0]);
            if (s.Length == 0) return s;
            return new string(' ', (int)Int("pad", a[1])) + s + new string(' ', (int)Int("pad", a[2]));
        },
        ["truncate"] = a =>
        {
            Arity("truncate", a, 2);
            var s = Str("truncate", a[0]);
            var n = (int)Int("truncate", a[1]);
            var bytes = Encoding.UTF8.GetBytes(s);
            return bytes.Length < n ? s : Encoding.UTF8.GetString(bytes, 0, Math.Max(0, n));
        },
    };

    private static Dictionary<string, TemplateFunction> BuildHeader()
    {
        var d = BuildBasic();
        foreach (var name in new[] { "json", "split", "join", "title", "lower", "upper", "truncate" })
        {
            d[name] = a => a.Length > 0 ? a[0] : "";
        }
        return d;
    }

    private static object? Len(object?[] a)
    {
        Arity("len", a, 1);
        return a[0] switch
        {
            string s => (long)Encoding.UTF8.GetByteCount(s),
            JsonArray arr => (long)arr.Count,
            JsonObject o => (long)o.Count,
            List<object?> l => (long)l.Count,
            var x => throw new TemplateException($"error calling len: len of type {TemplateValues.TypeName(x)}"),
        };
    }

    private static object? Index(object?[] a)
    {
        if (a.Length == 0) throw new TemplateException("wrong number of args for index: want at least 1 got 0");
        var item = a[0];
        foreach (var key in a.Skip(1))
        {
            switch (item)
            {
                case JsonObject o:
                    var k = key as string ?? throw new TemplateException($"error calling index: value has type {TemplateValues.TypeName(key)}; should be string");
                    // Docker's typed maps (labels, options) are map[string]string: a missing key is "".
                    item = o.TryGetPropertyValue(k, out var v) ? TemplateValues.FromNode(v)
                        : o.All(p => p.Value is JsonValue pv && pv.TryGetValue<string>(out _)) ? "" : null;
                    break;
                case JsonArray or List<object?>:
                    var list = TemplateValues.AsList(item)!;
                    if (!TemplateValues.TryGetInt(key, out var i)) throw new TemplateException($"error calling index: cannot index slice/array with type {TemplateValues.TypeName(key)}");
                    if (i < 0 || i >= list.Count) throw new TemplateException($"error calling index: index out of range: {i}");
                    item = list[(int)i];
                    break;
                case null or NoValue:
                    throw new TemplateException("error calling index: index of untyped nil");
                default:
                    throw new TemplateException($"error calling index: can't index item of type {TemplateValues.TypeName(item)}");
            }
        }
        return item;
    }

    private static object? Join(object?[] a)
    {
        Arity("join", a, 2);
        var sep = Str("join", a[1]);
        return a[0] switch
        {
            null or NoValue => "",
            JsonObject o => string.Join(sep, o.Select(kv => TemplateValues.Print(TemplateValues.FromNode(kv.Value), false)).Order(StringComparer.Ordinal)),
            var x when TemplateValues.AsList(x) is { } list => string.Join(sep, list.Select(e => TemplateValues.Print(e, false))),
            var x => throw new TemplateException($"error calling join: expected slice, got {TemplateValues.TypeName(x)}"),
        };
    }

    /// <summary>Go's deprecated strings.Title: upper-case the first letter of each word; letters, digits, underscore and
    /// apostrophe continue a word.</summary>
    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var prev = ' ';
        foreach (var c in s)
        {
            var sep = !(char.IsLetterOrDigit(prev) || prev == '_' || prev == '\'');
            sb.Append(sep ? char.ToUpperInvariant(c) : c);
            prev = c;
        }
        return sb.ToString();
    }

    /// <summary>fmt.Sprint: a space between operands when neither side is a string.</summary>
    private static string Sprint(object?[] a)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < a.Length; i++)
        {
            if (i > 0 && a[i] is not string && a[i - 1] is not string) sb.Append(' ');
            sb.Append(TemplateValues.Print(a[i]));
        }
        return sb.ToString();
    }

    private static void Arity(string name, object?[] a, int want)
    {
        if (a.Length != want) throw new TemplateException($"wrong number of args for {name}: want {want} got {a.Length}");
    }

    private static string Str(string fn, object? v) => v switch
    {
        string s => s,
        null or NoValue => throw new TemplateException($"error calling {fn}: invalid value; expected string"),
        _ => throw new TemplateException($"wrong type for value; expected string; got {TemplateValues.TypeName(v)}"),
    };

    private static long Int(string fn, object? v) =>
        TemplateValues.TryGetInt(v, out var l) ? l : throw new TemplateException($"wrong type for value; expected int; got {TemplateValues.TypeName(v)}");

    internal static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
