namespace Berth.Compose.Model;

public sealed record ServiceVolumeTmpfs
{
    /// <summary>Size in bytes.</summary>
    public long? Size { get; init; }

    /// <summary>File mode, e.g. 0o1777.</summary>
    public int? Mode { get; init; }
}
