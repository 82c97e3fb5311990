using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Builder.Dockerfile;

/// <summary>
/// <c>.dockerignore</c> matching as Docker does it (moby/patternmatcher): patterns are cleaned paths relative to the context,
/// <c>*</c> and <c>?</c> never cross <c>/</c>, <c>**</c> crosses any number of directories, <c>!</c> re-includes, the last
/// matching pattern wins, and a path is excluded when it or any parent directory matches.
/// </summary>
public sealed class DockerIgnore
{
    private readonly List<IgnorePattern> _patterns = [];

    public DockerIgnore(IEnumerable<string> patterns)
    {
        foreach (var raw in patterns)
        {
            var p = raw.Trim();
            if (p.Length == 0) continue;
            p = GoPath.Clean(p);
            var exclusion = false;
            if (p[0] == '!')
            {
                if (p.Length == 1) throw new ArgumentException("illegal exclusion pattern: \"!\"");
                exclusion = true;
                p = p[1..];
                HasExclusions = true;
            }
            _patterns.Add(IgnorePattern.Compile(p, exclusion));
        }
    }

    /// <summary>True when some pattern starts with <c>!</c> (a walker must then look inside excluded directories).</summary>
    public bool HasExclusions { get; }

    public int Count => _patterns.Count;

    /// <summary>Reads a .dockerignore: BOM stripped, <c>#</c> lines skipped, whitespace trimmed, paths cleaned, a leading <c>/</c> dropped.</summary>
    public static List<string> ReadPatterns(string text)
    {
        if (text.StartsWith('\uFEFF')) text = text[1..];
        var result = new List<string>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.StartsWith('#')) continue;
            var pattern = line.Trim();
            if (pattern.Length == 0) continue;
            var invert = pattern[0] == '!';
            if (invert) pattern = pattern[1..].Trim();
            if (pattern.Length > 0)
            {
                pattern = GoPath.Clean(pattern);
                if (pattern.Length > 1 && pattern[0] == '/') pattern = pattern[1..];
            }
            result.Add(invert ? "!" + pattern : pattern);
        }
        return result;
    }

    /// <summary>Whether <paramref name="path"/> (slash-separated, relative to the context) is excluded.</summary>
    public bool Matches(string path)
    {
        path = GoPath.Clean(path);
        if (path == ".") return false;
        var matched = false;
        var parent = ParentOf(path);
        var parentDirs = parent == "." ? [] : parent.Split('/');
        foreach (var pattern in _patterns)
        {
            if (pattern.Exclusion != matched) continue;
            var match = pattern.IsMatch(path);
            for (var i = 0; !match && i < parentDirs.Length; i++) match = pattern.IsMatch(string.Join('/', parentDirs, 0, i + 1));
            if (match) matched = !pattern.Exclusion;
        }
        return matched;
    }

    /// <summary>
    /// The walker's form: the result for <paramref name="path"/> given its parent's per-pattern results (empty for a top-level
    /// entry), and this path's per-pattern results for its children.
    /// </summary>
    public bool Matches(string path, bool[] parentMatched, out bool[] matched)
    {
        matched = new bool[_patterns.Count];
        var result = false;
        for (var i = 0; i < _patterns.Count; i++)
        {
            var pattern = _patterns[i];
            var match = parentMatched.Length != 0 && parentMatched[i];
            if (!match)
            {
                if (pattern.Exclusion != result) continue;
                match = pattern.IsMatch(path);
            }
            matched[i] = match;
            if (match) result = !pattern.Exclusion;
        }
        return result;
    }

    private static string ParentOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : path[..slash];
    }

    private sealed class IgnorePattern
    {
        private enum Kind { Exact, Prefix, Suffix, Regex }

        private Kind _kind;
        private string _text = "";
        private Regex? _regex;

        public bool Exclusion { get; private init; }

        public static IgnorePattern Compile(string pattern, bool exclusion)
        {
            var p = new IgnorePattern { Exclusion = exclusion, _text = pattern };
            var sb = new StringBuilder("^");
            var kind = Kind.Exact;
            for (var i = 0; i < pattern.Length; i++)
            {
                var ch = pattern[i];
                if (ch == '*')
                {
                    if (i + 1 < pattern.Length && pattern[i + 1] == '*')
                    {
                        var start = i;
                        i++;
                        if (i + 1 < pattern.Length && pattern[i + 1] == '/') i++;   // "**/" is treated as "**"
                        if (i + 1 >= pattern.Length)
                        {
                            // A trailing ** matches everything below, as in .gitignore.
                            if (kind == Kind.Exact) kind = Kind.Prefix;
                            else
                            {
                                sb.Append(".*");
                                kind = Kind.Regex;
                            }
                        }
                        else
                        {
                            sb.Append("(.*/)?");
                            kind = Kind.Regex;
                        }
                        if (start == 0) kind = Kind.Suffix;
                    }
                    else
                    {
                        sb.Append("[^/]*");
                        kind = Kind.Regex;
                    }
                }
                else if (ch == '?')
                {
                    sb.Append("[^/]");
                    kind = Kind.Regex;
                }
                else if (ch is '.' or '+' or '(' or ')' or '|' or '{' or '}' or '$')
                {
                    sb.Append('\\').Append(ch);
                }
                else if (ch == '\\')
                {
                    if (i + 1 < pattern.Length)
                    {
                        sb.Append('\\').Append(pattern[++i]);
                        kind = Kind.Regex;
                    }
                    else sb.Append("\\\\");
                }
                else if (ch is '[' or ']')
                {
                    sb.Append(ch);
                    kind = Kind.Regex;
                }
                else sb.Append(ch);
            }
            if (kind == Kind.Regex)
            {
                sb.Append('$');
                try { p._regex = new Regex(sb.ToString(), RegexOptions.CultureInvariant); }
                catch (ArgumentException) { throw new ArgumentException($"syntax error in pattern: {pattern}"); }
            }
            p._kind = kind;
            return p;
        }

        public bool IsMatch(string path) => _kind switch
        {
            Kind.Exact => path == _text,
            Kind.Prefix => path.StartsWith(_text[..^2], StringComparison.Ordinal),
            Kind.Suffix => SuffixMatch(path),
            _ => _regex!.IsMatch(path),
        };

        private bool SuffixMatch(string path)
        {
            var suffix = _text[2..];
            if (path.EndsWith(suffix, StringComparison.Ordinal)) return true;
            return suffix.Length > 0 && suffix[0] == '/' && path == suffix[1..];   // "**/foo" matches "foo"
        }
    }
}
