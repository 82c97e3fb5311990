namespace Berth.Builder.Execution;

/// <summary>Host settings for RUN containers, from the build request (<c>networkmode</c>, <c>extrahosts</c>, resource limits).</summary>
public sealed record BuildHostOptions(string? NetworkMode = null, IReadOnlyList<string>? ExtraHosts = null, long Memory = 0, long MemorySwap = 0,
    long CpuShares = 0, long CpuPeriod = 0, long CpuQuota = 0, string? CpusetCpus = null, long ShmSize = 0);
