namespace Berth.Builder.Execution;

/// <summary>A build step's container (RUN): created, run once to completion, committed, removed.</summary>
public interface IBuildContainer
{
    string Id { get; }

    /// <summary>Starts the container and streams its stdout/stderr (stream 1 or 2) until it exits; returns the exit code.</summary>
    Task<int> RunAsync(Func<int, ReadOnlyMemory<byte>, Task> output, CancellationToken ct);

    /// <summary>The container's file system changes as a layer; null when nothing changed.</summary>
    Task<BuildLayerDiff?> CommitAsync(CancellationToken ct);

    Task RemoveAsync();
}
