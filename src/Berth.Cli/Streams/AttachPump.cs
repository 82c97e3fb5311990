using Berth.Cli.Terminal;
using Berth.Client;

namespace Berth.Cli.Streams;

/// <summary>
/// Moves bytes between the local terminal and a hijacked connection the way the docker CLI's hijackedIOStreamer does:
/// output is demultiplexed unless there is a TTY; stdin is copied raw and then half-closed (at once when stdin is not
/// attached). With a TTY the detach keys end the session without stopping the container.
/// </summary>
internal static class AttachPump
{
    /// <summary>Returns true when the user detached (the container keeps running).</summary>
    public static async Task<bool> RunAsync(CliContext ctx, HijackedConnection conn, bool tty, bool attachStdin, byte[]? detachKeys, CancellationToken ct)
    {
        ctx.Out.Flush();
        var output = tty
            ? conn.Stream.CopyToAsync(ctx.StdoutStream, ct)
            : StdCopy.CopyAsync(conn.Stream, ctx.StdoutStream, ctx.StderrStream, ct);
        var detached = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (attachStdin)
        {
            _ = Task.Run(() => CopyStdinAsync(ctx.StdinStream, conn, tty ? new DetachKeys(detachKeys ?? DetachKeys.Default) : null, detached, ct), ct);
        }
        else
        {
            conn.CloseWrite();
        }
        var first = await Task.WhenAny(output, detached.Task);
        if (first == detached.Task && detached.Task.Result) return true;
        try
        {
            await output;
        }
        catch (IOException) when (ct.IsCancellationRequested)
        {
            // The session was torn down on purpose.
        }
        return false;
    }

    private static async Task CopyStdinAsync(Stream stdin, HijackedConnection conn, DetachKeys? keys, TaskCompletionSource<bool> detached, CancellationToken ct)
    {
        var buf = new byte[32 * 1024];
        try
        {
            while (true)
            {
                var n = await stdin.ReadAsync(buf, ct);
                if (n == 0) break;
                if (keys is not null)
                {
                    var (forward, detach) = keys.Feed(buf.AsSpan(0, n));
                    if (forward.Length > 0) await conn.Stream.WriteAsync(forward, ct);
                    if (detach)
                    {
                        detached.TrySetResult(true);
                        return;
                    }
                }
                else
                {
                    await conn.Stream.WriteAsync(buf.AsMemory(0, n), ct);
                }
                await conn.Stream.FlushAsync(ct);
            }
        }
        catch (IOException)
        {
            // The daemon closed the connection (container exited): nothing more to send.
        }
        catch (ObjectDisposedException)
        {
            // Output finished first and the connection was disposed.
        }
        catch (OperationCanceledException)
        {
        }
        conn.CloseWrite();
        detached.TrySetResult(false);
    }
}
