namespace Berth.Compose.Model;

/// <summary>A service's reference to a top-level secret or config (short form "name" becomes Source = name).</summary>
public sealed record ServiceFileReference
{
    public required string Source { get; init; }

    /// <summary>Mount path or name in the container; null means the default (/run/secrets/SOURCE, /SOURCE for configs).</summary>
    public string? Target { get; init; }
    public string? Uid { get; init; }
    public string? Gid { get; init; }
    public int? Mode { get; init; }
}
