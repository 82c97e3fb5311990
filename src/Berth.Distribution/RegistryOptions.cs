namespace Berth.Distribution;

/// <summary>Daemon-wide registry settings: plain-HTTP registries beyond loopback, transfer concurrency, retries.</summary>
public sealed record RegistryOptions
{
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>Layers downloaded at once (Docker's <c>max-concurrent-downloads</c> default is 3).</summary>
    public int MaxConcurrentDownloads { get; init; } = 3;

    /// <summary>Layers uploaded at once (Docker's <c>max-concurrent-uploads</c> default is 5).</summary>
    public int MaxConcurrentUploads { get; init; } = 5;

    /// <summary>Attempts per blob transfer; a download resumes where it stopped (HTTP Range).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Overrides Docker Hub's address (tests; a mirror).</summary>
    public string? DockerHubUrl { get; init; }
}
