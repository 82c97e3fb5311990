namespace Berth.Compose.Model;

/// <summary>service.env_file entry; <see cref="Path"/> is absolute.</summary>
public sealed record EnvFileConfig
{
    public required string Path { get; init; }
    public bool Required { get; init; } = true;
    public string? Format { get; init; }
}
