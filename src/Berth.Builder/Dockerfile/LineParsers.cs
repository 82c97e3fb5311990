using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Berth.Builder.Dockerfile;

/// <summary>
/// Per-instruction argument parsing into the parse tree (BuildKit's line_parsers.go and split_command.go): JSON or shell
/// form, key=value lists, whitespace lists, HEALTHCHECK's type word, ONBUILD's nested instruction, leading <c>--flags</c>.
/// Errors are InvalidOperationException; the caller adds the line.
/// </summary>
internal static partial class LineParsers
{
    [GeneratedRegex("[\t\v\f\r ]+")]
    private static partial Regex Whitespace();

    public static Node NewNodeFromLine(string line, ParserState state, IReadOnlyList<string> comments)
    {
        var (cmd, flags, args) = SplitCommand(line, state.Escape);
        var (next, json) = cmd.ToLowerInvariant() switch
        {
            "add" or "copy" or "volume" => ParseMaybeJsonToList(args),
            "arg" => (ParseNameOrNameVal(args, state.Escape), false),
            "cmd" or "entrypoint" or "run" or "shell" => ParseMaybeJson(args),
            "env" => (ParseNameVal(args, "ENV", state.Escape), false),
            "label" => (ParseNameVal(args, "LABEL", state.Escape), false),
            "expose" or "from" => (ParseWhitespaceDelimited(args), false),
            "healthcheck" => ParseHealthConfig(args),
            "maintainer" or "stopsignal" or "user" or "workdir" => (ParseString(args), false),
            "onbuild" => (ParseSubCommand(args, state), false),
            _ => (new Node(), false), // unknown instructions parse; the instruction layer rejects them
        };
        return new Node { Value = cmd, Original = line, Flags = flags, Next = next, IsJson = json, PrevComment = comments };
    }

    private static (string Cmd, List<string> Flags, string Args) SplitCommand(string line, char escape)
    {
        var parts = Whitespace().Split(line.Trim(), 2);
        if (parts.Length < 2) return (parts[0], [], "");
        var (rest, flags) = ExtractBuilderFlags(parts[1], escape);
        return (parts[0], flags, rest.Trim());
    }

    /// <summary>Leading <c>--name=value</c> words (quotes and escapes processed); <c>--</c> ends them.</summary>
    private static (string Remainder, List<string> Flags) ExtractBuilderFlags(string line, char escape)
    {
        const int inSpaces = 0, inWord = 1, inQuote = 2;
        var words = new List<string>();
        var phase = inSpaces;
        var sb = new StringBuilder();
        var quote = '\0';
        var blankOk = false;
        var ch = '\0';
        for (var pos = 0; pos <= line.Length; pos++)
        {
            if (pos != line.Length) ch = line[pos];
            if (phase == inSpaces)
            {
                if (pos == line.Length) break;
                if (char.IsWhiteSpace(ch)) continue;
                if (ch != '-' || pos + 1 == line.Length || line[pos + 1] != '-') return (line[pos..], words);
                phase = inWord;
            }
            if (phase is inWord or inQuote && pos == line.Length)
            {
                var word = sb.ToString();
                if (word != "--" && (blankOk || word.Length > 0)) words.Add(word);
                break;
            }
            if (phase == inWord)
            {
                if (char.IsWhiteSpace(ch))
                {
                    var word = sb.ToString();
                    phase = inSpaces;
                    if (word == "--") return (line[pos..], words);
                    if (blankOk || word.Length > 0) words.Add(word);
                    sb.Clear();
                    blankOk = false;
                    continue;
                }
                if (ch is '\'' or '"')
                {
                    quote = ch;
                    blankOk = true;
                    phase = inQuote;
                    continue;
                }
                if (ch == escape)
                {
                    if (pos + 1 == line.Length) continue;
                    ch = line[++pos];
                }
                sb.Append(ch);
                continue;
            }
            if (ch == quote)
            {
                phase = inWord;
                continue;
            }
            if (ch == escape)
            {
                if (pos + 1 == line.Length)
                {
                    phase = inWord;
                    continue;
                }
                ch = line[++pos];
            }
            sb.Append(ch);
        }
        return ("", words);
    }

    /// <summary>Splits on whitespace, keeping quotes and escapes in the words (they are processed at expansion time).</summary>
    internal static List<string> ParseWords(string rest, char escape)
    {
        const int inSpaces = 0, inWord = 1, inQuote = 2;
        var words = new List<string>();
        var phase = inSpaces;
        var quote = '\0';
        var blankOk = false;
        var sb = new StringBuilder();
        var ch = '\0';
        for (var pos = 0; pos <= rest.Length; pos++)
        {
            if (pos != rest.Length) ch = rest[pos];
            if (phase == inSpaces)
            {
                if (pos == rest.Length) break;
                if (char.IsWhiteSpace(ch)) continue;
                phase = inWord;
            }
            if (phase is inWord or inQuote && pos == rest.Length)
            {
                if (blankOk || sb.Length > 0) words.Add(sb.ToString());
                break;
            }
            if (phase == inWord)
            {
                if (char.IsWhiteSpace(ch))
                {
                    phase = inSpaces;
                    if (blankOk || sb.Length > 0) words.Add(sb.ToString());
                    sb.Clear();
                    blankOk = false;
                    continue;
                }
                if (ch is '\'' or '"')
                {
                    quote = ch;
                    blankOk = true;
                    phase = inQuote;
                }
                if (ch == escape)
                {
                    if (pos + 1 == rest.Length) continue;
                    sb.Append(ch);
                    ch = rest[++pos];
                }
                sb.Append(ch);
                continue;
            }
            if (ch == quote) phase = inWord;
            if (ch == escape && quote != '\'')
            {
                if (pos + 1 == rest.Length)
                {
                    phase = inWord;
                    continue;
                }
                pos++;
                sb.Append(ch);
                ch = rest[pos];
            }
            sb.Append(ch);
        }
        return words;
    }

    private static Node? ParseNameVal(string rest, string key, char escape)
    {
        var words = ParseWords(rest, escape);
        if (words.Count == 0) return null;
        if (!words[0].Contains('=', StringComparison.Ordinal))
        {
            // The legacy form: KEY name value-with-spaces.
            var parts = Whitespace().Split(rest, 2);
            if (parts.Length < 2) throw new InvalidOperationException($"{key} must have two arguments");
            return KeyValueNode(parts[0], parts[1], "");
        }
        Node? root = null;
        Node? last = null;
        foreach (var word in words)
        {
            var eq = word.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0) throw new InvalidOperationException($"Syntax error - can't find = in {GoFormat.Quote(word)}. Must be of the form: name=value");
            var node = KeyValueNode(word[..eq], word[(eq + 1)..], "=");
            if (root is null) root = node;
            else last!.Next = node;
            last = node.Next!.Next;
        }
        return root;
    }

    private static Node KeyValueNode(string key, string value, string sep) =>
        new() { Value = key, Next = new Node { Value = value, Next = new Node { Value = sep } } };

    private static Node? ParseNameOrNameVal(string rest, char escape) => Chain(ParseWords(rest, escape));

    private static Node? ParseWhitespaceDelimited(string rest) => rest.Length == 0 ? null : Chain(Whitespace().Split(rest));

    private static Node? ParseString(string rest) => rest.Length == 0 ? null : new Node { Value = rest };

    private static Node? Chain(IEnumerable<string> values)
    {
        Node? root = null, last = null;
        foreach (var v in values)
        {
            var n = new Node { Value = v };
            if (root is null) root = n;
            else last!.Next = n;
            last = n;
        }
        return root;
    }

    /// <summary>Returns false when the text is not a JSON array; throws when it is one with a non-string element.</summary>
    private static bool TryParseJson(string rest, out Node? node)
    {
        node = null;
        rest = rest.TrimStart();
        if (!rest.StartsWith('[')) return false;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(rest); }
        // A lone surrogate cannot be transcoded to UTF-8 (ArgumentException): not JSON either, so the shell form applies.
        catch (Exception e) when (e is JsonException or ArgumentException) { return false; }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return false;
            var values = new List<string>();
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.String) throw new InvalidOperationException("when using JSON array syntax, arrays must be comprised of strings only");
                values.Add(e.GetString()!);
            }
            node = Chain(values);
            return true;
        }
    }

    private static (Node?, bool) ParseMaybeJson(string rest)
    {
        if (rest.Length == 0) return (null, false);
        return TryParseJson(rest, out var node) ? (node, true) : (new Node { Value = rest }, false);
    }

    private static (Node?, bool) ParseMaybeJsonToList(string rest) =>
        TryParseJson(rest, out var node) ? (node, true) : (ParseWhitespaceDelimited(rest), false);

    private static (Node?, bool) ParseHealthConfig(string rest)
    {
        var sep = 0;
        while (sep < rest.Length && !char.IsWhiteSpace(rest[sep])) sep++;
        var next = sep;
        while (next < rest.Length && char.IsWhiteSpace(rest[next])) next++;
        if (sep == 0) return (null, false);
        var (cmd, json) = ParseMaybeJson(rest[next..]);
        return (new Node { Value = rest[..sep], Next = cmd }, json);
    }

    private static Node? ParseSubCommand(string rest, ParserState state)
    {
        if (rest.Length == 0) return null;
        var child = NewNodeFromLine(rest, state, []);
        var holder = new Node();
        holder.Children.Add(child);
        return holder;
    }
}
