namespace Berth.Storage.Snapshots;

/// <summary>A layer unpacked into a hidden temp dir of the snapshots dir, not yet a snapshot (<see cref="LayerStore.Commit"/>).</summary>
public sealed class UnpackedLayer : IDisposable
{
    internal UnpackedLayer(string tempDir) => TempDir = tempDir;

    internal string TempDir { get; }

    /// <summary>sha256 of the uncompressed tar.</summary>
    public string DiffId { get; internal set; } = "";

    /// <summary>Bytes of regular-file content.</summary>
    public long Size { get; internal set; }

    internal bool Committed { get; set; }

    public void Dispose()
    {
        if (!Committed) LayerStore.DeleteTree(TempDir);
    }
}
