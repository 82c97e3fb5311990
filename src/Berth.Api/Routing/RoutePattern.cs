using Berth.Api.Http;

namespace Berth.Api.Routing;

/// <summary>
/// A parsed path pattern: literal segments, "{name}" (one non-empty segment) and at most one "{name:.*}" that
/// greedily spans one or more segments (image names contain '/').
/// </summary>
internal sealed class RoutePattern
{
    private readonly Segment[] _segments;
    private readonly int _greedy = -1;
    private readonly string[] _paramNames;

    public RoutePattern(string method, string pattern, Func<HttpContext, RouteValues, Task> handler)
    {
        if (!pattern.StartsWith('/')) throw new ArgumentException($"route pattern must start with '/': {pattern}", nameof(pattern));
        Method = method;
        Pattern = pattern;
        Handler = handler;
        var raw = pattern.Length == 1 ? [""] : pattern[1..].Split('/');
        _segments = new Segment[raw.Length];
        var names = new List<string>();
        for (var i = 0; i < raw.Length; i++)
        {
            var s = raw[i];
            if (s.StartsWith('{') && s.EndsWith('}'))
            {
                var inner = s[1..^1];
                var colon = inner.IndexOf(':', StringComparison.Ordinal);
                var name = colon < 0 ? inner : inner[..colon];
                if (colon >= 0)
                {
                    if (inner[(colon + 1)..] != ".*") throw new ArgumentException($"only the '.*' constraint is supported: {pattern}", nameof(pattern));
                    if (_greedy >= 0) throw new ArgumentException($"at most one greedy parameter: {pattern}", nameof(pattern));
                    _greedy = i;
                }
                if (name.Length == 0) throw new ArgumentException($"unnamed parameter: {pattern}", nameof(pattern));
                names.Add(name);
                _segments[i] = new Segment(null, name);
            }
            else
            {
                if (s.Contains('{') || s.Contains('}')) throw new ArgumentException($"parameters must fill a whole segment: {pattern}", nameof(pattern));
                _segments[i] = new Segment(s, null);
            }
        }
        _paramNames = [.. names];
    }

    public string Method { get; }

    public string Pattern { get; }

    public Func<HttpContext, RouteValues, Task> Handler { get; }

    public bool IsGreedy => _greedy >= 0;

    /// <summary>The first segment when it is literal (the router's bucket key), else null.</summary>
    public string? FirstLiteral => _segments[0].Literal;

    /// <summary>Fixed routes before greedy ones; then, at the first segment where they differ, a literal before a parameter.</summary>
    public int CompareSpecificity(RoutePattern other)
    {
        if (IsGreedy != other.IsGreedy) return IsGreedy ? 1 : -1;
        for (var i = 0; i < Math.Min(_segments.Length, other._segments.Length); i++)
        {
            var a = _segments[i].Literal is not null;
            var b = other._segments[i].Literal is not null;
            if (a != b) return a ? -1 : 1;
        }
        return 0;
    }

    /// <summary>Matches the path's segments (ranges into <paramref name="path"/>); values is null when nothing is captured.</summary>
    public bool TryMatch(ReadOnlySpan<char> path, ReadOnlySpan<Range> segs, out RouteValues? values)
    {
        values = null;
        var n = _segments.Length;
        if (_greedy < 0 ? segs.Length != n : segs.Length < n) return false;

        var tail = n - _greedy - 1;   // segments after the greedy one, matched from the end
        for (var i = 0; i < n; i++)
        {
            if (i == _greedy) continue;
            var seg = path[segs[_greedy >= 0 && i > _greedy ? segs.Length - (n - i) : i]];
            var s = _segments[i];
            if (s.Literal is not null ? !seg.SequenceEqual(s.Literal) : seg.IsEmpty) return false;
        }
        if (_paramNames.Length == 0) return true;

        var captured = new string[_paramNames.Length];
        var p = 0;
        for (var i = 0; i < n; i++)
        {
            if (_segments[i].Literal is not null) continue;
            if (i == _greedy)
            {
                var start = segs[i].Start.GetOffset(path.Length);
                var end = segs[segs.Length - tail - 1].End.GetOffset(path.Length);
                captured[p++] = new string(path[start..end]);
            }
            else
            {
                captured[p++] = new string(path[segs[_greedy >= 0 && i > _greedy ? segs.Length - (n - i) : i]]);
            }
        }
        values = new RouteValues(_paramNames, captured);
        return true;
    }

    private readonly record struct Segment(string? Literal, string? Param);
}
