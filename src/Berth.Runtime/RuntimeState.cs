namespace Berth.Runtime;

/// <summary>The OCI runtime's view of a container.</summary>
public enum RuntimeState
{
    Unknown,
    Created,
    Running,
    Paused,
    Stopped,
}
