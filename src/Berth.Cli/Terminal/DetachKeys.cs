namespace Berth.Cli.Terminal;

/// <summary>
/// Spots the detach sequence (default ctrl-p ctrl-q) in stdin, as the docker CLI's escape proxy does: bytes that could
/// start the sequence are held back and released if the sequence breaks off.
/// </summary>
internal sealed class DetachKeys(byte[] sequence)
{
    private int _matched;

    public static readonly byte[] Default = [16, 17];

    /// <summary>Parses docker's <c>--detach-keys</c> syntax: <c>ctrl-p,ctrl-q</c>, <c>ctrl-@</c>, single letters.</summary>
    public static byte[] Parse(string? spec)
    {
        if (string.IsNullOrEmpty(spec)) return Default;
        var result = new List<byte>();
        foreach (var part in spec.Split(','))
        {
            var p = part.Trim();
            if (p.StartsWith("ctrl-", StringComparison.OrdinalIgnoreCase) && p.Length == 6)
            {
                var c = char.ToLowerInvariant(p[5]);
                result.Add(c switch
                {
                    >= 'a' and <= 'z' => (byte)(c - 'a' + 1),
                    '@' => 0,
                    '[' => 27,
                    '\\' => 28,
                    ']' => 29,
                    '^' => 30,
                    '_' => 31,
                    _ => throw new ArgumentException($"Unknown character: '{p}'"),
                });
            }
            else if (p.Length == 1) result.Add((byte)p[0]);
            else throw new ArgumentException($"Unknown character: '{p}'");
        }
        return [.. result];
    }

    /// <summary>Filters one read: returns the bytes to forward and whether the full sequence was typed.</summary>
    public (byte[] Forward, bool Detach) Feed(ReadOnlySpan<byte> input)
    {
        var forward = new List<byte>(input.Length);
        foreach (var b in input)
        {
            if (b == sequence[_matched])
            {
                _matched++;
                if (_matched == sequence.Length)
                {
                    _matched = 0;
                    return ([.. forward], true);
                }
                continue;
            }
            forward.AddRange(sequence.AsSpan(0, _matched).ToArray());
            _matched = 0;
            if (b == sequence[0]) _matched = 1;
            else forward.Add(b);
        }
        return ([.. forward], false);
    }
}
