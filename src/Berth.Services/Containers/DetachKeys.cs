using Berth.Core.Errors;

namespace Berth.Services.Containers;

/// <summary>The detach sequence (default ctrl-p,ctrl-q) that ends an attach without stopping the container.</summary>
public sealed class DetachKeys
{
    private readonly byte[] _sequence;
    private int _matched;

    private DetachKeys(byte[] sequence) => _sequence = sequence;

    public static DetachKeys Parse(string? spec)
    {
        if (string.IsNullOrEmpty(spec)) return new DetachKeys([16, 17]);
        var bytes = new List<byte>();
        foreach (var part in spec.Split(','))
        {
            if (part.StartsWith("ctrl-", StringComparison.Ordinal) && part.Length == 6)
            {
                var ch = part[5];
                var code = ch switch { >= 'a' and <= 'z' => ch - 'a' + 1, '@' => 0, '[' => 27, '\\' => 28, ']' => 29, '^' => 30, '_' => 31, _ => -1 };
                if (code < 0) throw new InvalidArgumentException($"Invalid detach keys ({spec}) provided");
                bytes.Add((byte)code);
            }
            else if (part.Length == 1) bytes.Add((byte)part[0]);
            else throw new InvalidArgumentException($"Invalid detach keys ({spec}) provided");
        }
        return new DetachKeys([.. bytes]);
    }

    /// <summary>Scans input; returns how many leading bytes to forward and whether the sequence completed.</summary>
    public (int Forward, bool Detach) Scan(ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i] == _sequence[_matched])
            {
                if (++_matched == _sequence.Length) return (Math.Max(0, i + 1 - _sequence.Length), true);
            }
            else _matched = data[i] == _sequence[0] ? 1 : 0;
        }
        return (data.Length, false);
    }
}
