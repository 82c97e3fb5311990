namespace Berth.Compose.Model;

public sealed record ServiceVolumeVolume
{
    public bool NoCopy { get; init; }
    public string? Subpath { get; init; }
}
