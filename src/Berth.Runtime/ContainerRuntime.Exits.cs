using System.Globalization;

namespace Berth.Runtime;

public sealed partial class ContainerRuntime
{
    private readonly Dictionary<string, long> _reported = new(StringComparer.Ordinal);
    private readonly Lock _reportedLock = new();
    private FileSystemWatcher? _watcher;

    public event Action<ContainerExit>? Exited;

    public Task<ContainerExit?> TryReadExitAsync(string id, CancellationToken ct) => Task.FromResult(TryReadExit(id));

    private ContainerExit? TryReadExit(string id)
    {
        var path = Path.Combine(_exitDir, id);
        string text;
        DateTime finished;
        try
        {
            text = File.ReadAllText(path).Trim();
            finished = File.GetLastWriteTimeUtc(path);
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        // The monitor writes the file atomically (temp + rename); a parse failure means a foreign file, not a half-written one.
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code)) return null;
        return new ContainerExit(id, code, OomKilled(id), new DateTimeOffset(finished, TimeSpan.Zero));
    }

    /// <summary>The monitor's oom marker, or the cgroup's own oom_kill counter (it survives until the runtime deletes the cgroup).</summary>
    private bool OomKilled(string id) => File.Exists(Path.Combine(PersistDir(id), "oom")) || Cgroups.OomCounter.HasKilled(Cgroups.OomCounter.FileFor(id));

    private void StartExitWatcher()
    {
        if (_watcher is not null) return;
        var w = new FileSystemWatcher(_exitDir) { IncludeSubdirectories = false, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite };
        w.Created += (_, e) => OnExitFile(e.Name);
        w.Changed += (_, e) => OnExitFile(e.Name);
        w.Renamed += (_, e) => OnExitFile(e.Name);
        w.Error += (_, e) => _log?.Write($"runtime: exit watcher error: {e.GetException().Message}");
        w.EnableRaisingEvents = true;
        _watcher = w;
    }

    private void StopExitWatcher()
    {
        var w = Interlocked.Exchange(ref _watcher, null);
        if (w is null) return;
        w.EnableRaisingEvents = false;
        w.Dispose();
    }

    private void OnExitFile(string? name)
    {
        // The monitor's temp file (id.tmp) precedes the rename to the container id.
        if (name is null || name.Contains('.')) return;
        var exit = TryReadExit(name);
        if (exit is null) return;
        ReapMonitor(name);
        var stamp = exit.FinishedAt.UtcTicks;
        lock (_reportedLock)
        {
            if (_reported.TryGetValue(name, out var seen) && seen == stamp) return;
            _reported[name] = stamp;
        }
        try { Exited?.Invoke(exit); }
        catch (Exception e) { _log?.Write($"runtime: exit handler for {name} failed: {e}"); }
    }

    private void ForgetReported(string id)
    {
        lock (_reportedLock) _reported.Remove(id);
    }
}
