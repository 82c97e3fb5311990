namespace Berth.Integration.Tests.Stress;

/// <summary>
/// Fires when a new unpacked layer appears in the data root's snapshots/ (its temp dir renamed into place). A kill
/// at that moment lands between unpacking a layer and recording the image that owns it, the window a random delay
/// seldom hits: what it leaves is exactly what the daemon's start-up recovery must clean.
/// </summary>
internal sealed class LayerWatch : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly HashSet<string> _before;
    private readonly TaskCompletionSource<string> _appeared = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LayerWatch(string dataRoot)
    {
        var dir = Path.Join(dataRoot, "snapshots");
        _before = [.. Directory.EnumerateDirectories(dir).Select(Path.GetFileName).OfType<string>()];
        _watcher = new FileSystemWatcher(dir) { NotifyFilter = NotifyFilters.DirectoryName, IncludeSubdirectories = false };
        _watcher.Renamed += (_, e) => Seen(e.Name);
        _watcher.Created += (_, e) => Seen(e.Name);
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Completes with the new layer's directory name.</summary>
    public Task<string> Appeared => _appeared.Task;

    private void Seen(string? name)
    {
        if (name is { Length: 64 } && !name.StartsWith('.') && !_before.Contains(name)) _appeared.TrySetResult(name);
    }

    public void Dispose() => _watcher.Dispose();
}
