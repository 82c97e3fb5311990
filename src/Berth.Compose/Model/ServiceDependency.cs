namespace Berth.Compose.Model;

/// <summary>depends_on entry. Condition is one of the <see cref="ServiceDependency"/> constants.</summary>
public sealed record ServiceDependency
{
    public const string ServiceStarted = "service_started";
    public const string ServiceHealthy = "service_healthy";
    public const string ServiceCompletedSuccessfully = "service_completed_successfully";

    public string Condition { get; init; } = ServiceStarted;
    public bool Restart { get; init; }
    public bool Required { get; init; } = true;
}
