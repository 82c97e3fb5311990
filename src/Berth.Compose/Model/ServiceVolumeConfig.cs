namespace Berth.Compose.Model;

/// <summary>A service mount in long form. <see cref="Type"/> is "volume", "bind", "tmpfs", "npipe" or "image".</summary>
public sealed record ServiceVolumeConfig
{
    public required string Type { get; init; }

    /// <summary>Volume name (a key of the project volumes), absolute host path for binds, null for anonymous volumes and tmpfs.</summary>
    public string? Source { get; init; }
    public required string Target { get; init; }
    public bool ReadOnly { get; init; }
    public string? Consistency { get; init; }
    public ServiceVolumeBind? Bind { get; init; }
    public ServiceVolumeVolume? Volume { get; init; }
    public ServiceVolumeTmpfs? Tmpfs { get; init; }
}
