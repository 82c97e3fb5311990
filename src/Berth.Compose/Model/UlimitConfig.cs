namespace Berth.Compose.Model;

/// <summary>A ulimit; the single-integer form sets soft and hard to the same value and is marked <see cref="Single"/>
/// (Compose keeps that form apart: it marshals, and so hashes, as the bare number).</summary>
public sealed record UlimitConfig(long Soft, long Hard)
{
    public bool Single { get; init; }
}
