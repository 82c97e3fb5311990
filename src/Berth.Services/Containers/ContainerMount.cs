namespace Berth.Services.Containers;

/// <summary>
/// One resolved mount of a container (moby's <c>MountPoint</c>), decided at create and persisted with the container: the named
/// or anonymous volume, bind or tmpfs, where it goes and how. Inspect's <c>Mounts</c> is made from these.
/// </summary>
public sealed class ContainerMount
{
    public string Type { get; set; } = "";
    public string? Name { get; set; }
    public string Source { get; set; } = "";
    public string Destination { get; set; } = "";
    public string? Driver { get; set; }
    public string Mode { get; set; } = "";
    public bool RW { get; set; } = true;
    public string Propagation { get; set; } = "";

    /// <summary>Copy the image's content at Destination into the volume when the volume is empty (not for nocopy).</summary>
    public bool CopyData { get; set; }

    /// <summary>A volume made for this container (<c>-v /path</c>, image VOLUME): removed with it by <c>rm -v</c> and <c>--rm</c>.</summary>
    public bool Anonymous { get; set; }

    public string? Subpath { get; set; }
    public bool NonRecursive { get; set; }
    public long TmpfsSize { get; set; }
    public int TmpfsMode { get; set; }
}
