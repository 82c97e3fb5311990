namespace Berth.Storage;

/// <summary>What the runtime needs to mount a container's root: overlay lowerdir (top-most first), upperdir, workdir, and the mount point.</summary>
public sealed record ContainerLayer(string RootfsDir, string UpperDir, string WorkDir, IReadOnlyList<string> LowerDirs);
