namespace Berth.Compose.Model;

/// <summary>service.healthcheck. <see cref="Test"/> is normalized to Docker's list form: ["NONE"], ["CMD", ...] or ["CMD-SHELL", "..."].</summary>
public sealed record HealthcheckConfig
{
    public IReadOnlyList<string>? Test { get; init; }
    public TimeSpan? Interval { get; init; }
    public TimeSpan? Timeout { get; init; }
    public int? Retries { get; init; }
    public TimeSpan? StartPeriod { get; init; }
    public TimeSpan? StartInterval { get; init; }
    public bool Disable { get; init; }
}
