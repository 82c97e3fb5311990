namespace Berth.Runtime;

/// <summary>Where the runtime keeps its state (a tmpfs such as /run/berth/runtime) which OCI runtime to run and which berth-monitor (default: beside the executable, then PATH).</summary>
public sealed record RuntimeOptions(string StateRoot, string RuntimeName, string? RuntimePath = null, string? MonitorPath = null);
