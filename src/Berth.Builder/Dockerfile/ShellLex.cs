using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Builder.Dockerfile;

/// <summary>
/// Docker's word processing for Dockerfile arguments: quotes, the escape token, and <c>$v</c>, <c>${v}</c>, <c>${v:-w}</c>,
/// <c>${v:+w}</c>, <c>${v?w}</c>, <c>${v#p}</c>, <c>${v%p}</c>, <c>${v/p/r}</c> (BuildKit's shell/lex.go semantics). Not thread-safe.
/// </summary>
public sealed class ShellLex(char escapeToken)
{
    private const int Eof = -1;
    private string _src = "";
    private int _pos;
    private ShellEnv _env = ShellEnv.Empty;
    private bool _rawEscapes;

    /// <summary>Keep quote characters in the output (heredoc detection).</summary>
    public bool RawQuotes { get; set; }

    /// <summary>Keep escape characters in the output.</summary>
    public bool RawEscapes { get; set; }

    /// <summary>Leave <c>$unset</c> references as written instead of expanding them to "".</summary>
    public bool SkipUnsetEnv { get; set; }

    public char EscapeToken => escapeToken;

    /// <summary>Expands one word, keeping inner spaces (ENV, LABEL, WORKDIR, COPY paths...).</summary>
    public string ProcessWord(string word, ShellEnv env) => Run(word, env).Result;

    /// <summary>Expands and then splits on unquoted whitespace (EXPOSE, heredoc names).</summary>
    public List<string> ProcessWords(string word, ShellEnv env) => Run(word, env).Words;

    private (string Result, List<string> Words) Run(string word, ShellEnv env)
    {
        _src = word;
        _pos = 0;
        _env = env;
        _rawEscapes = RawEscapes;
        try
        {
            return ProcessStopOn(Eof, RawEscapes);
        }
        catch (ShellSyntaxException ex)
        {
            throw new ShellSyntaxException($"failed to process \"{word}\": {ex.Message}");
        }
    }

    private int Peek() => _pos < _src.Length ? _src[_pos] : Eof;

    private int Next() => _pos < _src.Length ? _src[_pos++] : Eof;

    private (string, List<string>) ProcessStopOn(int stopChar, bool rawEscapes)
    {
        var result = new StringBuilder();
        var words = new WordSplitter();
        var saved = _rawEscapes;
        _rawEscapes = rawEscapes;
        try
        {
            while (Peek() != Eof)
            {
                var ch = Peek();
                if (stopChar != Eof && ch == stopChar)
                {
                    Next();
                    return (result.ToString(), words.Finish());
                }
                string? special = ch switch
                {
                    '$' => ProcessDollar(),
                    '<' => ProcessPossibleHeredoc(),
                    '\'' => ProcessSingleQuote(),
                    '"' => ProcessDoubleQuote(),
                    _ => null,
                };
                if (special is not null)
                {
                    result.Append(special);
                    if (ch == '$') words.AddString(special);
                    else words.AddRawString(special);
                    continue;
                }
                ch = Next();
                if (ch == escapeToken)
                {
                    if (_rawEscapes)
                    {
                        words.AddRawChar((char)ch);
                        result.Append((char)ch);
                    }
                    // The escape token escapes the next character; at the end of the word it is dropped.
                    ch = Next();
                    if (ch == Eof) break;
                    words.AddRawChar((char)ch);
                }
                else words.AddChar((char)ch);
                result.Append((char)ch);
            }
            if (stopChar != Eof) throw new ShellSyntaxException($"unexpected end of statement while looking for matching {(char)stopChar}");
            return (result.ToString(), words.Finish());
        }
        finally
        {
            _rawEscapes = saved;
        }
    }

    private string ProcessSingleQuote()
    {
        // Everything up to the next ' is literal; a single quote cannot be escaped inside single quotes.
        var sb = new StringBuilder();
        var ch = Next();
        if (RawQuotes) sb.Append((char)ch);
        while (true)
        {
            ch = Next();
            if (ch == Eof) throw new ShellSyntaxException("unexpected end of statement while looking for matching single-quote");
            if (ch == '\'')
            {
                if (RawQuotes) sb.Append((char)ch);
                return sb.ToString();
            }
            sb.Append((char)ch);
        }
    }

    private string ProcessDoubleQuote()
    {
        // Literal except $ expansions and the escape token, which only escapes ", $ and itself (other escapes stay as written).
        var sb = new StringBuilder();
        var ch = Next();
        if (RawQuotes) sb.Append((char)ch);
        while (true)
        {
            switch (Peek())
            {
                case Eof:
                    throw new ShellSyntaxException("unexpected end of statement while looking for matching double-quote");
                case '"':
                    ch = Next();
                    if (RawQuotes) sb.Append((char)ch);
                    return sb.ToString();
                case '$':
                    sb.Append(ProcessDollar());
                    break;
                default:
                    ch = Next();
                    if (ch == escapeToken)
                    {
                        if (_rawEscapes) sb.Append((char)ch);
                        var next = Peek();
                        if (next == Eof) continue;
                        if (next == '"' || next == '$' || next == escapeToken) ch = Next();
                    }
                    sb.Append((char)ch);
                    break;
            }
        }
    }

    private string ProcessDollar()
    {
        Next();
        if (Peek() != '{')
        {
            var name = ProcessName();
            if (name.Length == 0) return "$";
            var found = _env.TryGet(name, out var value);
            if (!found && SkipUnsetEnv) return "$" + name;
            return found ? value : "";
        }
        Next();
        switch (Peek())
        {
            case Eof: throw new ShellSyntaxException("syntax error: missing '}'");
            case '{' or '}' or ':': throw new ShellSyntaxException("syntax error: bad substitution");
        }
        var varName = ProcessName();
        var op = Next();
        if (op == Eof) throw new ShellSyntaxException("syntax error: missing '}'");
        var ops = op == Eof ? "" : ((char)op).ToString();
        var nullIsUnset = false;
        switch (op)
        {
            case '}':
                {
                    var set = _env.TryGet(varName, out var value);
                    if (!set && SkipUnsetEnv) return "${" + varName + "}";
                    return set ? value : "";
                }
            case ':' or '+' or '-' or '?' or '#' or '%':
                {
                    if (op == ':')
                    {
                        nullIsUnset = true;
                        op = Next();
                        ops += op == Eof ? "" : ((char)op).ToString();
                    }
                    var raw = op is '#' or '%';
                    if (nullIsUnset && raw) throw new ShellSyntaxException($"unsupported modifier ({ops}) in substitution");
                    if (op is not ('+' or '-' or '?' or '#' or '%')) throw new ShellSyntaxException($"unsupported modifier ({ops}) in substitution");
                    string word;
                    try
                    {
                        word = ProcessStopOn('}', raw).Item1;
                    }
                    catch (ShellSyntaxException) when (Peek() == Eof)
                    {
                        throw new ShellSyntaxException("syntax error: missing '}'");
                    }
                    var isSet = _env.TryGet(varName, out var value);
                    if (SkipUnsetEnv && !isSet) return "${" + varName + ops + word + "}";
                    var empty = !isSet || (nullIsUnset && value.Length == 0);
                    switch (op)
                    {
                        case '-': return empty ? word : value;
                        case '+': return empty ? "" : word;
                        case '?':
                            if (!isSet) throw new ShellSyntaxException($"{varName}: {(word.Length > 0 ? word : "is not allowed to be unset")}");
                            if (nullIsUnset && value.Length == 0) throw new ShellSyntaxException($"{varName}: {(word.Length > 0 ? word : "is not allowed to be empty")}");
                            return value;
                        default:
                            var greedy = word.Length > 0 && word[0] == op;
                            if (greedy) word = word[1..];
                            return op == '%' ? TrimSuffix(word, value, greedy) : TrimPrefix(word, value, greedy);
                    }
                }
            case '/':
                {
                    var all = Peek() == '/';
                    if (all) Next();
                    string pattern, replacement;
                    try { pattern = ProcessStopOn('/', true).Item1; }
                    catch (ShellSyntaxException) when (Peek() == Eof) { throw new ShellSyntaxException("syntax error: missing '/' in ${}"); }
                    try { replacement = ProcessStopOn('}', true).Item1; }
                    catch (ShellSyntaxException) when (Peek() == Eof) { throw new ShellSyntaxException("syntax error: missing '}'"); }
                    var isSet = _env.TryGet(varName, out var value);
                    if (SkipUnsetEnv && !isSet) return "${" + varName + "/" + pattern + "/" + replacement + "}";
                    var re = PatternToRegex(pattern, greedy: true, anchored: false);
                    if (all) return re.Replace(value, replacement.Replace("$", "$$", StringComparison.Ordinal));
                    var m = re.Match(value);
                    return m.Success ? value[..m.Index] + replacement + value[(m.Index + m.Length)..] : value;
                }
            default:
                throw new ShellSyntaxException($"unsupported modifier ({ops}) in substitution");
        }
    }

    private string ProcessName()
    {
        var sb = new StringBuilder();
        while (Peek() != Eof)
        {
            var ch = (char)Peek();
            if (sb.Length == 0 && char.IsDigit(ch))
            {
                while (Peek() != Eof && char.IsDigit((char)Peek())) sb.Append((char)Next());
                return sb.ToString();
            }
            if (sb.Length == 0 && ch is '@' or '*' or '#' or '?' or '-' or '$' or '!' or '0') return ((char)Next()).ToString();
            if (!char.IsLetterOrDigit(ch) && ch != '_') break;
            sb.Append((char)Next());
        }
        return sb.ToString();
    }

    private string ProcessPossibleHeredoc()
    {
        Next();
        if (Peek() != '<') return "<";
        Next();
        var sb = new StringBuilder("<<");
        while (Peek() is '\t' or '\r' or ' ') sb.Append((char)Next());
        return sb.ToString();
    }

    /// <summary>A shell wildcard (<c>*</c>, <c>?</c>, escapes; no brackets) as a regex, shortest or longest match.</summary>
    private static Regex PatternToRegex(string pattern, bool greedy, bool anchored)
    {
        var sb = new StringBuilder();
        if (anchored) sb.Append('^');
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*': sb.Append(greedy ? ".*" : ".*?"); continue;
                case '?': sb.Append('.'); continue;
                case '\\':
                    // \} and \/ inside ${} are escapes for the lexer, not part of the pattern.
                    if (i + 1 < pattern.Length && pattern[i + 1] is '}' or '/') continue;
                    if (i + 1 >= pattern.Length || pattern[i + 1] is not ('*' or '?' or '\\'))
                        throw new ShellSyntaxException($"invalid pattern ({pattern}) in substitution: invalid escape '\\{(i + 1 < pattern.Length ? pattern[i + 1] : ' ')}'");
                    sb.Append('\\').Append(pattern[++i]);
                    continue;
                case '[' or ']' or '{' or '}' or '.' or '+' or '(' or ')' or '|' or '^' or '$':
                    sb.Append('\\');
                    break;
            }
            sb.Append(c);
        }
        return new Regex(sb.ToString(), RegexOptions.CultureInvariant);
    }

    private static string TrimPrefix(string pattern, string value, bool greedy)
    {
        var m = PatternToRegex(pattern, greedy, anchored: true).Match(value);
        return m.Success ? value[(m.Index + m.Length)..] : value;
    }

    private static string TrimSuffix(string pattern, string value, bool greedy)
    {
        // Regexes find leftmost matches, so reverse both sides to find the shortest/longest suffix.
        var reversed = TrimPrefix(ReversePattern(pattern), Reverse(value), greedy);
        return Reverse(reversed);
    }

    private static string ReversePattern(string pattern)
    {
        var outChars = new char[pattern.Length];
        var last = pattern.Length - 1;
        for (var i = 0; i <= last;)
        {
            var outIdx = last - i;
            if (pattern[i] == '\\' && i != last)
            {
                outChars[outIdx - 1] = '\\';
                outChars[outIdx] = pattern[i + 1];
                i += 2;
            }
            else
            {
                outChars[outIdx] = pattern[i];
                i++;
            }
        }
        return new string(outChars);
    }

    private static string Reverse(string s)
    {
        var a = s.ToCharArray();
        Array.Reverse(a);
        return new string(a);
    }

    /// <summary>Splits expanded text into words; characters from quotes or escapes never split.</summary>
    private sealed class WordSplitter
    {
        private readonly StringBuilder _buf = new();
        private readonly List<string> _words = [];
        private bool _inWord;

        public void AddChar(char ch)
        {
            if (char.IsWhiteSpace(ch))
            {
                if (_inWord && _buf.Length != 0)
                {
                    _words.Add(_buf.ToString());
                    _buf.Clear();
                    _inWord = false;
                }
            }
            else AddRawChar(ch);
        }

        public void AddRawChar(char ch)
        {
            _buf.Append(ch);
            _inWord = true;
        }

        public void AddString(string s)
        {
            foreach (var c in s) AddChar(c);
        }

        public void AddRawString(string s)
        {
            _buf.Append(s);
            _inWord = true;
        }

        public List<string> Finish()
        {
            if (_buf.Length > 0)
            {
                _words.Add(_buf.ToString());
                _buf.Clear();
                _inWord = false;
            }
            return _words;
        }
    }
}
