namespace Berth.Compose.Model;

/// <summary>service.build in long form; <see cref="Context"/> is absolute unless it is a URL.</summary>
public sealed record BuildConfig
{
    public required string Context { get; init; }
    public string? Dockerfile { get; init; }
    public string? DockerfileInline { get; init; }
    public IReadOnlyDictionary<string, string?> Args { get; init; } = new SortedDictionary<string, string?>(StringComparer.Ordinal);
    public string? Target { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    public IReadOnlyList<string> CacheFrom { get; init; } = [];
    public IReadOnlyList<string> CacheTo { get; init; } = [];
    public string? Network { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];
    public bool NoCache { get; init; }
    public bool Pull { get; init; }
    public long? ShmSize { get; init; }
    public IReadOnlyList<string> Platforms { get; init; } = [];
}
