namespace Berth.Runtime;

/// <summary>Docker's resource flags. MemorySwapBytes is memory+swap as in Docker (-1 = unlimited, null = twice the memory).</summary>
public sealed record ResourceLimits(
    long? MemoryBytes = null,
    long? MemorySwapBytes = null,
    long? NanoCpus = null,
    long? CpuShares = null,
    long? CpuQuota = null,
    long? CpuPeriod = null,
    string? CpusetCpus = null,
    long? PidsLimit = null,
    int? OomScoreAdj = null);
