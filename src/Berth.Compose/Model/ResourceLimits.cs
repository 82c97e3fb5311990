namespace Berth.Compose.Model;

/// <summary>deploy.resources.limits / reservations.</summary>
public sealed record ResourceLimits
{
    /// <summary>Fractional CPUs ("0.5").</summary>
    public double? Cpus { get; init; }

    /// <summary>Bytes.</summary>
    public long? Memory { get; init; }
    public long? Pids { get; init; }
}
