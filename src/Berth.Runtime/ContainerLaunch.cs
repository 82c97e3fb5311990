namespace Berth.Runtime;

/// <summary>Everything needed to create one container. An empty <see cref="LogPath"/> means no log (log driver none). <see cref="BundleDir"/> is daemon-owned; config.json and the monitor's socket and fifo go there.</summary>
public sealed record ContainerLaunch(
    string Id,
    string BundleDir,
    string RootfsPath,
    ProcessSpec Process,
    string Hostname,
    bool Tty,
    bool OpenStdin,
    bool StdinOnce,
    string LogPath,
    IReadOnlyList<SpecMount> Mounts,
    NamespaceOptions Namespaces,
    ResourceLimits Resources,
    SecurityOptions Security,
    IReadOnlyDictionary<string, string>? Annotations = null,
    IReadOnlyList<Rlimit>? Rlimits = null,
    IReadOnlyDictionary<string, string>? Sysctls = null,
    IReadOnlyList<HostDevice>? Devices = null);
