using Berth.Core.Errors;
using Berth.Runtime;
using Berth.Services.Logs;
using Berth.Storage;

namespace Berth.Services.Containers;

public sealed record AttachOptions(bool Stdin, bool Stdout, bool Stderr, string? DetachKeys);

public sealed partial class ContainerService
{
    /// <summary>Checks an attach request before the connection is hijacked, so errors are still plain HTTP errors.</summary>
    public Container PrepareAttach(string idOrName, AttachOptions options)
    {
        var c = Get(idOrName);
        if (c.Doc.State.Paused) throw new ConflictException($"You cannot attach to a paused container, unpause it first");
        DetachKeys.Parse(options.DetachKeys);
        _events.Publish("container", "attach", c.Id, Attributes(c));
        return c;
    }

    /// <summary>
    /// Pumps a container's stdio over a hijacked client connection. A container not running yet is waited for: the
    /// docker CLI attaches before it starts, and start holds the process until pending attachers have connected.
    /// </summary>
    public async Task AttachAsync(Container c, Stream client, Action shutdownWrite, AttachOptions options, CancellationToken ct)
    {
        IAttachConnection? connection = null;
        if (!c.Doc.State.Running)
        {
            Interlocked.Increment(ref c.PendingAttaches);
            try
            {
                await c.RuntimeCreated.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                shutdownWrite();
                return;
            }
            finally
            {
                Interlocked.Decrement(ref c.PendingAttaches);
            }
        }
        try
        {
            connection = await _runtime.AttachAsync(c.Id, ct);
        }
        finally
        {
            // Counted even on failure so start never waits for an attacher that will not come.
            Interlocked.Increment(ref c.ConnectedAttaches);
        }
        await using (connection)
        {
            var raw = c.Doc.Config.Tty;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var input = options.Stdin ? PumpStdinAsync(c, client, connection, options, stop) : Task.CompletedTask;
            try
            {
                while (true)
                {
                    var frame = await connection.ReadAsync(stop.Token);
                    if (frame is null) break;
                    var f = frame.Value;
                    if ((f.Stream == 1 && !options.Stdout) || (f.Stream == 2 && !options.Stderr)) continue;
                    await StreamFrames.WriteAsync(client, f.Stream, f.Data, raw, stop.Token);
                    await client.FlushAsync(stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // Detached or the client went away: the container keeps running.
            }
            catch (IOException)
            {
                // Client disconnected mid-write.
            }
            finally
            {
                Interlocked.Decrement(ref c.ConnectedAttaches);
                await stop.CancelAsync();
                try { shutdownWrite(); } catch (IOException) { } // the client may already be gone
                try { await input; } catch (Exception) { } // stdin pump ends with the connection; its errors are moot now
            }
        }
    }

    private static async Task PumpStdinAsync(Container c, Stream client, IAttachConnection connection, AttachOptions options, CancellationTokenSource stop)
    {
        var keys = DetachKeys.Parse(options.DetachKeys);
        var buffer = new byte[8192];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var n = await client.ReadAsync(buffer, stop.Token);
                if (n == 0)
                {
                    // Stdin EOF (the client half-closed): close the container's stdin only for StdinOnce, as Docker does.
                    if (c.Doc.Config.StdinOnce) await connection.CloseStdinAsync();
                    return;
                }
                var (forward, detach) = keys.Scan(buffer.AsSpan(0, n));
                if (forward > 0) await connection.WriteStdinAsync(buffer.AsMemory(0, forward), stop.Token);
                if (detach)
                {
                    await stop.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
    }

    public async Task ResizeAsync(string idOrName, int height, int width, CancellationToken ct)
    {
        var c = Get(idOrName);
        if (!c.Doc.State.Running) throw new ConflictException($"Container {c.Id} is not running");
        await _runtime.ResizeAsync(c.Id, height, width, ct);
        _events.Publish("container", "resize", c.Id, Attributes(c, ("height", height.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("width", width.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    /// <summary>Streams the container's log as Docker's logs endpoint does (frames unless TTY), following while it runs.</summary>
    public async Task WriteLogsAsync(Container c, Stream output, LogOptions options, Func<CancellationToken, Task> flush, CancellationToken ct)
    {
        var raw = c.Doc.Config.Tty;
        LogDrivers.EnsureReadable(c.Doc.HostConfig.LogConfig?.Type);
        var reader = new ContainerLogReader(c.Doc.LogPath);
        var writer = new LogFrameWriter(output, raw, coalesce: !options.Follow);
        await foreach (var batch in reader.ReadBatchesAsync(options, () => c.Doc.State.Running, ct))
        {
            foreach (var entry in batch)
            {
                if ((entry.Stream == 1 && !options.Stdout) || (entry.Stream == 2 && !options.Stderr)) continue;
                await writer.AddAsync(entry.Stream, options.Timestamps ? LogEntry.WithTimestamp(entry) : entry.Content, ct);
            }
            if (options.Follow)
            {
                await writer.FlushAsync(ct);
                await flush(ct);
            }
        }
        await writer.FlushAsync(ct);
    }

    public async Task ExportAsync(string idOrName, Stream output, CancellationToken ct)
    {
        var c = Get(idOrName);
        var d = c.Doc;
        var mountedHere = false;
        await c.Lock.WaitAsync(ct);
        try
        {
            if (!MountPoints.IsMountPoint(d.RootfsDir))
            {
                await MountRootfsAsync(d);
                mountedHere = true;
            }
            await RootfsTarWriter.WriteAsync(d.RootfsDir, output, ct);
        }
        finally
        {
            if (mountedHere) RootfsMounter.Unmount(d.RootfsDir);
            c.Lock.Release();
        }
        _events.Publish("container", "export", c.Id, Attributes(c));
    }

    public async Task<Api.Models.Containers.ContainerTopResponse> TopAsync(string idOrName, string? psArgs, CancellationToken ct)
    {
        var c = Get(idOrName);
        if (!c.Doc.State.Running) throw new ConflictException($"Container {c.Id} is not running");
        var pids = await _runtime.ListPidsAsync(c.Id, ct);
        var result = await ProcessTable.ReadAsync(pids, string.IsNullOrWhiteSpace(psArgs) ? "-ef" : psArgs, ct);
        _events.Publish("container", "top", c.Id, Attributes(c));
        return result;
    }
}
