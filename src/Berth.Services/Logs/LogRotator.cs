using Berth.Runtime;
using Berth.Services.Containers;

namespace Berth.Services.Logs;

/// <summary>
/// Rotates running containers' logs: when the live file passes max-size it becomes <c>.1</c> (older ones shift up,
/// the oldest beyond max-file goes) and the monitor is told to reopen its log path, which starts a fresh file.
/// conmon 2.1.6 can only truncate, so the daemon does the renaming.
/// </summary>
public sealed class LogRotator(ContainerService containers, IContainerRuntime runtime, Action<string> log) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);

    private async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                foreach (var c in containers.All)
                {
                    if (!c.Doc.State.Running) continue;
                    try { await RotateIfNeededAsync(c.Doc.Id, c.Doc.LogPath, LogPolicy.Of(c.Doc.HostConfig), ct); }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { log($"log rotation of {c.Id}: {ex.Message}"); }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Daemon shutdown.
        }
    }

    public async Task RotateIfNeededAsync(string id, string path, LogPolicy policy, CancellationToken ct)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length < policy.MaxSize) return;
        Rotate(path, policy.MaxFiles);
        await runtime.ReopenLogAsync(id, ct);
    }

    /// <summary>Shifts <c>path.N-1</c>… to <c>path.N</c>…, drops what falls past <paramref name="maxFiles"/>, and moves the live file to <c>.1</c>.</summary>
    public static void Rotate(string path, int maxFiles)
    {
        if (maxFiles <= 1)
        {
            File.Move(path, path + ".1", overwrite: true);
            File.Delete(path + ".1");
            return;
        }
        File.Delete($"{path}.{maxFiles - 1}");
        for (var i = maxFiles - 2; i >= 1; i--)
            if (File.Exists($"{path}.{i}")) File.Move($"{path}.{i}", $"{path}.{i + 1}", overwrite: true);
        File.Move(path, path + ".1", overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
        _stop.Dispose();
    }
}
