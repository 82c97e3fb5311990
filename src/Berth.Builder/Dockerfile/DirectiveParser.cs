using System.Text.RegularExpressions;

namespace Berth.Builder.Dockerfile;

/// <summary>
/// Parser directives (<c># syntax=</c>, <c># escape=</c>, <c># check=</c>): only at the very top, before any instruction, comment
/// or blank line; an unknown key or a non-directive line ends the directive block; a repeated key is an error.
/// </summary>
internal sealed partial class DirectiveParser
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private bool _done;

    public Dictionary<string, string> Found { get; } = new(StringComparer.Ordinal);

    [GeneratedRegex(@"^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")]
    private static partial Regex DirectiveRegex();

    /// <summary>Returns the directive on this line, or null; throws on a repeated directive.</summary>
    public (string Name, string Value)? ParseLine(string line)
    {
        if (_done) return null;
        if (!line.StartsWith('#'))
        {
            _done = true;
            return null;
        }
        var m = DirectiveRegex().Match(line[1..].TrimStart());
        if (!m.Success)
        {
            _done = true;
            return null;
        }
        var key = m.Groups[1].Value.ToLowerInvariant();
        if (key is not ("syntax" or "escape" or "check"))
        {
            _done = true;
            return null;
        }
        if (!_seen.Add(key)) throw new InvalidOperationException($"only one {key} parser directive can be used");
        Found[key] = m.Groups[2].Value;
        return (key, m.Groups[2].Value);
    }
}
