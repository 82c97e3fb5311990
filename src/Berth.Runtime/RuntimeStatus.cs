namespace Berth.Runtime;

/// <summary>State and init pid (0 when none) as the OCI runtime reports them.</summary>
public sealed record RuntimeStatus(RuntimeState State, int Pid);
