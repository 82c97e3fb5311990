namespace Berth.Builder.Execution;

/// <summary>Host settings for RUN containers, from the build request (<c>networkmode</c>, <c>extrahosts</c>, resource limits).</summary>
public sealed record BuildHostOptions(string? NetworkMode = null, IReadOnlyList<string>? ExtraHosts = null, long Memory = 0, long MemorySwap = 0,
    long CpuShares = 0, long CpuPeriod = 0, long CpuQuota = 0, string? CpusetCpus = null, long ShmSize = 0)
{
    /// <summary>Bind mounts (<c>host:container</c>) for one RUN, from <c>RUN --mount=type=cache</c>.</summary>
    public IReadOnlyList<string> Binds { get; init; } = [];

    /// <summary>tmpfs mounts (target to options) for one RUN, from <c>RUN --mount=type=tmpfs</c>.</summary>
    public IReadOnlyDictionary<string, string> Tmpfs { get; init; } = new Dictionary<string, string>();
}
