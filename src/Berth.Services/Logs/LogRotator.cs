using System.Collections.Concurrent;
using Berth.Runtime;
using Berth.Services.Containers;

namespace Berth.Services.Logs;

/// <summary>
/// Rotates running containers' logs: when the live file passes max-size it becomes <c>.1</c> (older ones shift up,
/// the oldest beyond max-file goes) and the monitor is told to reopen its log path, which starts a fresh file.
/// The monitor only writes; the daemon does the renaming. With compress, <c>.1</c> is then gzipped in the
/// background; the container's next rotation waits until that is done (its live file may pass max-size meanwhile,
/// where Docker blocks the container's writes instead). A <c>.1</c> left plain by a daemon killed mid-compression is
/// compressed on the next look.
/// </summary>
public sealed class LogRotator(ContainerService containers, IContainerRuntime runtime, Action<string> log) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, Task> _compressing = new(StringComparer.Ordinal);
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
        if (_compressing.ContainsKey(id)) return;
        var info = new FileInfo(path);
        if (info.Exists && info.Length >= policy.MaxSize)
        {
            Rotate(path, policy.MaxFiles, policy.Compress);
            await runtime.ReopenLogAsync(id, ct);
        }
        if (policy.Compress && File.Exists(LogFiles.Rotated(path, 1))) StartCompression(id, LogFiles.Rotated(path, 1));
    }

    private void StartCompression(string id, string file)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_compressing.TryAdd(id, done.Task)) return;
        _ = Task.Run(() =>
        {
            try { LogCompressor.Compress(file); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { log($"log compression of {file}: {ex.Message}"); }
            finally
            {
                _compressing.TryRemove(id, out _);
                done.SetResult();
            }
        });
    }

    /// <summary>Waits for the compressions under way (tests, shutdown).</summary>
    public Task CompressionsDone() => Task.WhenAll(_compressing.Values);

    /// <summary>
    /// Shifts <c>path.N-1</c>… to <c>path.N</c>… (their <c>.gz</c> forms with compress), drops what falls past
    /// <paramref name="maxFiles"/>, and moves the live file to <c>.1</c>.
    /// </summary>
    public static void Rotate(string path, int maxFiles, bool compress = false)
    {
        lock (LogFiles.LockOf(path))
        {
            if (maxFiles <= 1)
            {
                File.Move(path, path + ".1", overwrite: true);
                File.Delete(path + ".1");
                return;
            }
            // A .1 still plain (its compression failed or the daemon died during it) would be overwritten below.
            if (compress && File.Exists(LogFiles.Rotated(path, 1))) LogCompressor.Compress(LogFiles.Rotated(path, 1));
            File.Delete(LogFiles.Rotated(path, maxFiles - 1, compress));
            for (var i = maxFiles - 2; i >= 1; i--)
            {
                var from = LogFiles.Rotated(path, i, compress);
                if (File.Exists(from)) File.Move(from, LogFiles.Rotated(path, i + 1, compress), overwrite: true);
            }
            File.Move(path, LogFiles.Rotated(path, 1), overwrite: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
        await CompressionsDone();
        _stop.Dispose();
    }
}
