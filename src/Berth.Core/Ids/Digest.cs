using System.Security.Cryptography;
using Berth.Core.Errors;

namespace Berth.Core.Ids;

/// <summary>A validated content digest (<c>sha256:&lt;64 hex&gt;</c>); a path built from one cannot escape its store.</summary>
public readonly record struct Digest
{
    private Digest(string algorithm, string encoded) { Algorithm = algorithm; Encoded = encoded; }

    public string Algorithm { get; }
    public string Encoded { get; }

    public static Digest Parse(string s) => TryParse(s, out var d) ? d : throw new InvalidArgumentException($"invalid digest: {s}");

    public static bool TryParse(string? s, out Digest digest)
    {
        digest = default;
        if (s is null) return false;
        var colon = s.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) return false;
        var alg = s[..colon];
        var enc = s[(colon + 1)..];
        var expected = alg switch { "sha256" => 64, "sha512" => 128, _ => -1 };
        if (expected < 0 || enc.Length != expected || enc.AsSpan().ContainsAnyExcept("0123456789abcdef")) return false;
        digest = new Digest(alg, enc);
        return true;
    }

    public static Digest Sha256(ReadOnlySpan<byte> data) => new("sha256", Convert.ToHexStringLower(SHA256.HashData(data)));

    public static Digest FromSha256Hash(ReadOnlySpan<byte> hash) => new("sha256", Convert.ToHexStringLower(hash));

    public override string ToString() => $"{Algorithm}:{Encoded}";
}
