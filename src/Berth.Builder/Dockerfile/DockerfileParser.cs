using System.Text;

namespace Berth.Builder.Dockerfile;

/// <summary>
/// Turns Dockerfile text into BuildKit's parse tree, line for line as <c>frontend/dockerfile/parser</c> does: directives, the
/// escape token as line continuation, comments inside continued instructions, empty continuation lines (a warning), heredocs.
/// </summary>
public static class DockerfileParser
{
    public static ParseResult Parse(string text)
    {
        if (text.StartsWith('\uFEFF')) text = text[1..];
        var lines = SplitLines(text);
        var state = new ParserState();
        var root = new Node { StartLine = -1 };
        var warnings = new List<string>();
        var comments = new List<string>();
        var currentLine = 0;
        var i = 0;

        while (i < lines.Count)
        {
            var raw = lines[i++];
            if (IsComment(raw))
            {
                var comment = raw[1..].Trim();
                if (comment.Length == 0) comments.Clear();
                else comments.Add(comment);
            }
            var (processed, directiveOk) = ProcessLine(state, raw, stripLeft: true, currentLine);
            if (directiveOk && comments.Count > 0) comments.RemoveAt(comments.Count - 1);
            currentLine++;
            var startLine = currentLine;
            var (content, endOfLine) = TrimContinuation(processed, state.Escape);
            if (endOfLine && content.Length == 0) continue;

            var buf = new StringBuilder(content);
            var emptyContinuation = false;
            while (!endOfLine && i < lines.Count)
            {
                var next = lines[i++];
                var (cont, _) = ProcessLine(state, next, stripLeft: false, currentLine);
                currentLine++;
                if (IsComment(next)) continue;
                if (cont.TrimStart().Length == 0)
                {
                    emptyContinuation = true;
                    continue;
                }
                (cont, endOfLine) = TrimContinuation(cont, state.Escape);
                buf.Append(cont);
            }
            var line = buf.ToString();
            if (emptyContinuation) warnings.Add("Empty continuation line found in: " + line);

            Node child;
            try
            {
                child = LineParsers.NewNodeFromLine(line, state, [.. comments]);
            }
            catch (InvalidOperationException ex)
            {
                throw new DockerfileParseException(ex.Message, startLine);
            }

            if (CanContainHeredoc(child) && line.Contains("<<", StringComparison.Ordinal))
            {
                List<Heredoc> docs;
                try { docs = HeredocsFromLine(line); }
                catch (Exception ex) when (ex is InvalidOperationException or ShellSyntaxException) { throw new DockerfileParseException(ex.Message, startLine); }
                foreach (var doc in docs)
                {
                    var body = new StringBuilder();
                    var terminated = false;
                    while (i < lines.Count)
                    {
                        var l = lines[i++];
                        currentLine++;
                        var candidate = l.TrimEnd('\r', '\n');
                        if (doc.Chomp) candidate = candidate.TrimStart('\t');
                        if (candidate == doc.Name)
                        {
                            terminated = true;
                            break;
                        }
                        body.Append(l);
                    }
                    if (!terminated) throw new DockerfileParseException("unterminated heredoc", startLine);
                    child.Heredocs.Add(doc with { Content = body.ToString() });
                }
            }

            child.StartLine = startLine;
            child.EndLine = currentLine;
            if (root.StartLine < 0) root.StartLine = startLine;
            root.EndLine = currentLine;
            root.Children.Add(child);
            comments.Clear();
        }

        if (root.StartLine < 0) throw new DockerfileParseException("file with no instructions", 0);
        return new ParseResult(root, state.Escape, state.Directives.Found, warnings);
    }

    /// <summary>Parses the heredoc word of one argument (<c>&lt;&lt;EOF</c>, <c>&lt;&lt;-"EOF"</c>, <c>3&lt;&lt;EOF</c>), or null.</summary>
    public static Heredoc? ParseHeredoc(string src)
    {
        var m = System.Text.RegularExpressions.Regex.Match(src, @"^(\d*)<<(-?)[\t\n\f\r ]*([^<]*)$");
        if (!m.Success) return null;
        var rest = m.Groups[3].Value;
        if (rest.Length == 0) return null;
        var fd = m.Groups[1].Value.Length == 0 ? 0 : int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var lex = new ShellLex('\\') { SkipUnsetEnv = true };
        var words = lex.ProcessWords(rest, ShellEnv.Empty);
        if (words.Count != 1) return null;
        lex.RawQuotes = true;
        var rawWords = lex.ProcessWords(rest, ShellEnv.Empty);
        if (rawWords.Count != words.Count) throw new InvalidOperationException($"internal lexing of heredoc produced inconsistent results: {rest}");
        // A quoted terminator (any part of it) turns expansion off, as in the shell.
        var expand = QuoteCount(words[0]) == QuoteCount(rawWords[0]);
        return new Heredoc(words[0], fd, expand, m.Groups[2].Value == "-", "");
    }

    /// <summary>Removes leading tabs from every line (<c>&lt;&lt;-</c>).</summary>
    public static string ChompHeredocContent(string content) =>
        System.Text.RegularExpressions.Regex.Replace(content, "(?m)^\t+", "");

    private static int QuoteCount(string s) => s.Count(c => c is '\'' or '"');

    private static List<Heredoc> HeredocsFromLine(string line)
    {
        var lex = new ShellLex('\\') { RawQuotes = true, RawEscapes = true, SkipUnsetEnv = true };
        List<string> words;
        try { words = lex.ProcessWords(line, ShellEnv.Empty); }
        catch (ShellSyntaxException) { words = []; }
        var docs = new List<Heredoc>();
        foreach (var w in words)
            if (ParseHeredoc(w) is { } doc) docs.Add(doc);
        return docs;
    }

    private static bool CanContainHeredoc(Node node)
    {
        if (node.Value.Equals("onbuild", StringComparison.OrdinalIgnoreCase) && node.Next is { Children.Count: > 0 } n) node = n.Children[0];
        var name = node.Value.ToLowerInvariant();
        return name is "add" or "copy" or "run" && !node.IsJson;
    }

    private static (string Line, bool DirectiveOk) ProcessLine(ParserState state, string token, bool stripLeft, int lineIndex)
    {
        token = token.TrimEnd('\r', '\n');
        if (stripLeft) token = token.TrimStart();
        (string Name, string Value)? directive;
        try { directive = state.Directives.ParseLine(token); }
        catch (InvalidOperationException ex) { throw new DockerfileParseException(ex.Message, lineIndex + 1); }
        if (directive is { Name: "escape" } d)
        {
            if (d.Value is not ("`" or "\\"))
                throw new DockerfileParseException($"invalid escape token '{d.Value}' does not match ` or \\", lineIndex + 1);
            state.Escape = d.Value[0];
        }
        return (IsComment(token) ? "" : token, directive is not null);
    }

    /// <summary>
    /// The escape token as the last non-blank character continues the line, unless it is itself escaped (<c>\\</c>).
    /// </summary>
    private static (string Line, bool EndOfLine) TrimContinuation(string line, char escape)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] is ' ' or '\t') end--;
        if (end == 0 || line[end - 1] != escape) return (line, true);
        if (end == 1) return ("", false);
        if (line[end - 2] == escape) return (line, true);
        return (line[..(end - 1)], false);
    }

    private static bool IsComment(string line)
    {
        var t = line.TrimStart();
        return t.Length > 0 && t[0] == '#';
    }

    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var nl = text.IndexOf('\n', start);
            if (nl < 0)
            {
                lines.Add(text[start..]);
                break;
            }
            lines.Add(text[start..(nl + 1)]);
            start = nl + 1;
        }
        return lines;
    }
}
