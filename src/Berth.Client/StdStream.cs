namespace Berth.Client;

/// <summary>Stream ids of docker's multiplexed framing (moby stdcopy).</summary>
public enum StdStream : byte
{
    Stdin = 0,
    Stdout = 1,
    Stderr = 2,
    SystemError = 3,
}
