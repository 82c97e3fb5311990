namespace Berth.Runtime;

/// <summary>
/// NetworkMode is "none" (a fresh namespace), "host", or a namespace path ("ns:/proc/&lt;pid&gt;/ns/net" or a plain path).
/// IpcFromPid/PidFromPid join another container's namespaces (Docker's container:&lt;id&gt; modes).
/// </summary>
public sealed record NamespaceOptions(
    string NetworkMode,
    string? IpcFromPid = null,
    string? PidFromPid = null,
    bool HostPid = false,
    bool HostIpc = false,
    bool HostUts = false);
