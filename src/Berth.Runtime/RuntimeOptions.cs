namespace Berth.Runtime;

/// <summary>Where the runtime keeps its state (a tmpfs such as /run/berth/runtime) and which OCI runtime to run.</summary>
public sealed record RuntimeOptions(string StateRoot, string RuntimeName, string? RuntimePath = null, string? ConmonPath = null);
