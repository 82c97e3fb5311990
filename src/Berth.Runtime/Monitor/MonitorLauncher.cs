using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Runtime.Interop;

namespace Berth.Runtime.Monitor;

/// <summary>
/// Starts berth-monitor for a container and waits for the container to exist: the monitor writes one JSON line
/// (<c>{"data": pid}</c>) on the sync pipe. The pipe's write end is created close-on-exec and becomes fd 3 in the child
/// only, so no other child of the daemon can inherit it and hold it open (DESIGN pitfalls: sync pipe). The monitor
/// leads a session of its own, so it outlives berthd; while berthd lives, it reaps the monitor when it exits.
/// </summary>
internal static class MonitorLauncher
{
    private const int SyncFd = 3;

    /// <summary>Returns the container's init pid and the monitor's pid.</summary>
    internal static async Task<(int InitPid, int MonitorPid)> LaunchAsync(string monitorPath, IReadOnlyList<string> args, string cwd, string stderrPath, TimeSpan timeout, CancellationToken ct)
    {
        var (readFd, pid) = Spawn(monitorPath, args, cwd, stderrPath);
        try
        {
            var line = await Task.Run(() => ReadLine(readFd, timeout, ct), CancellationToken.None);
            ct.ThrowIfCancellationRequested();
            if (line is null) throw new EngineException(ErrorKind.Unknown, $"the container monitor exited before the container was created: {ReadTail(stderrPath)}");
            return (ParseSync(line), pid);
        }
        catch
        {
            _ = ReapAsync(pid);
            throw;
        }
        finally
        {
            Libc.Close(readFd);
        }
    }

    /// <summary>
    /// Collects a monitor that is exiting (it is our child while we live; it exits right after its exit file appears).
    /// Polls without blocking, so no thread waits for a monitor that is slow to go.
    /// </summary>
    internal static async Task ReapAsync(int monitorPid)
    {
        for (var i = 0; i < 500; i++)
        {
            if (TryReap(monitorPid)) return;
            await Task.Delay(20, CancellationToken.None);
        }
    }

    private static unsafe bool TryReap(int pid)
    {
        int status;
        var r = Libc.WaitPid(pid, &status, Libc.WNOHANG);
        return r != 0 && !(r < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR);
    }

    internal static int ParseSync(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var data = doc.RootElement.GetProperty("data").GetInt32();
        if (data > 0) return data;
        var message = doc.RootElement.TryGetProperty("message", out var m) ? m.GetString()?.Trim() : null;
        throw new EngineException(ErrorKind.Unknown, $"OCI runtime create failed: {message ?? "unknown error"}");
    }

    private static unsafe (int ReadFd, int Pid) Spawn(string path, IReadOnlyList<string> args, string cwd, string stderrPath)
    {
        var fds = stackalloc int[2];
        if (Libc.Pipe2(fds, Libc.O_CLOEXEC) != 0) throw new IOException($"pipe2: {Libc.LastError()}");
        try
        {
            var plan = new SpawnPlan(path, args, [Spawner.PathVariable, "_OCI_SYNCPIPE=" + SyncFd])
            {
                OpenFiles = [(0, "/dev/null", Libc.O_RDONLY), (1, "/dev/null", Libc.O_WRONLY), (2, stderrPath, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_TRUNC)],
                Descriptors = [(SyncFd, fds[1])],
                WorkingDirectory = cwd,
                NewSession = true,
            };
            return (fds[0], Spawner.Spawn(plan));
        }
        catch (IOException e)
        {
            Libc.Close(fds[0]);
            throw new EngineException(ErrorKind.Unknown, e.Message);
        }
        finally
        {
            Libc.Close(fds[1]);
        }
    }

    /// <summary>Reads one line (never to EOF: a monitor may keep the pipe open).</summary>
    private static unsafe string? ReadLine(int fd, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var buf = new List<byte>(64);
        var one = stackalloc byte[256];
        while (true)
        {
            if (ct.IsCancellationRequested) return null;
            var left = deadline - Environment.TickCount64;
            if (left <= 0) throw new EngineException(ErrorKind.Unknown, "timed out waiting for the container monitor to create the container");
            var pfd = new Libc.PollFd { Fd = fd, Events = Libc.POLLIN };
            var r = Libc.Poll(&pfd, 1, (int)Math.Min(left, 100));
            if (r < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR) continue;
            if (r <= 0) continue;
            // Read byte-wise up to the newline: anything after it belongs to the exit report.
            var n = Libc.Read(fd, one, 1);
            if (n < 0 && Marshal.GetLastPInvokeError() is Libc.EINTR or Libc.EAGAIN) continue;
            if (n <= 0) return buf.Count > 0 ? Encoding.UTF8.GetString(buf.ToArray()) : null;
            if (one[0] == (byte)'\n') return Encoding.UTF8.GetString(buf.ToArray());
            buf.Add(one[0]);
        }
    }

    private static string ReadTail(string path)
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            return text.Length > 2000 ? text[^2000..] : text;
        }
        catch (IOException) { return "(no output)"; }
    }
}
