namespace Berth.Runtime;

/// <summary>A connection to a container's stdio through its monitor. Reads return null at EOF (the container exited).</summary>
public interface IAttachConnection : IAsyncDisposable
{
    ValueTask<AttachFrame?> ReadAsync(CancellationToken ct);

    ValueTask WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken ct);

    /// <summary>Half-closes our side; with StdinOnce the monitor then closes the container's stdin.</summary>
    ValueTask CloseStdinAsync();
}
