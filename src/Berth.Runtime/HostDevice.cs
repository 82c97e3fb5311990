namespace Berth.Runtime;

/// <summary>A <c>--device</c>: a host device node made available at <see cref="ContainerPath"/> with cgroup access <see cref="Permissions"/> (r, w, m).</summary>
public sealed record HostDevice(string HostPath, string ContainerPath, string Permissions = "rwm");
