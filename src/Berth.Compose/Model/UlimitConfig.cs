namespace Berth.Compose.Model;

/// <summary>A ulimit; the single-integer form sets soft and hard to the same value.</summary>
public sealed record UlimitConfig(long Soft, long Hard);
