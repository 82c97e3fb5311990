namespace Berth.Builder.Execution;

/// <summary>
/// A writable root on top of an image (COPY, ADD, WORKDIR): <see cref="RootDir"/> is mounted while the object lives;
/// <see cref="CommitAsync"/> turns what was written into a layer (null when nothing changed). Disposing unmounts and deletes it.
/// </summary>
public interface IBuildLayer : IAsyncDisposable
{
    string RootDir { get; }

    Task<BuildLayerDiff?> CommitAsync(CancellationToken ct);
}
