using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Runtime.Interop;

namespace Berth.Runtime.Conmon;

/// <summary>
/// Spawns conmon with posix_spawn (no .NET Process: conmon daemonizes, and its stdio must not be ours) and waits for the
/// container to exist. The sync pipe's write end is created close-on-exec and dup2'd to fd 3 in the child only, so no other
/// child of the daemon can inherit it and hold it open (DESIGN pitfalls: conmon sync pipe).
/// </summary>
internal static class ConmonLauncher
{
    private const int SyncFd = 3;

    /// <summary>Returns the container's init pid, read from conmon's first sync-pipe line ({"data": pid}).</summary>
    internal static async Task<int> LaunchAsync(string conmonPath, IReadOnlyList<string> args, string cwd, string stderrPath, TimeSpan timeout, CancellationToken ct)
    {
        var (readFd, pid) = Spawn(conmonPath, args, cwd, stderrPath);
        try
        {
            // conmon's first process forks and exits at once; reap it so it is not left a zombie of the daemon.
            var status = await Task.Run(() => WaitPid(pid), CancellationToken.None);
            if (status != 0) throw new EngineException(ErrorKind.Unknown, $"conmon failed (status {status}): {ReadTail(stderrPath)}");
            var line = await Task.Run(() => ReadLine(readFd, timeout, ct), CancellationToken.None);
            ct.ThrowIfCancellationRequested();
            if (line is null) throw new EngineException(ErrorKind.Unknown, $"conmon exited before the container was created: {ReadTail(stderrPath)}");
            return ParseSync(line);
        }
        finally
        {
            Libc.Close(readFd);
        }
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
        if (Libc.Pipe2(fds, Libc.O_CLOEXEC) != 0) throw new IOException($"pipe2: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        var fa = NativeMemory.AllocZeroed(512);
        var attr = NativeMemory.AllocZeroed(1024);
        var sigs = NativeMemory.AllocZeroed(256);
        var strings = new List<nint>();
        try
        {
            Libc.FileActionsInit(fa);
            Libc.FileActionsAddOpen(fa, 0, "/dev/null", Libc.O_RDONLY, 0);
            Libc.FileActionsAddOpen(fa, 1, "/dev/null", Libc.O_WRONLY, 0);
            Libc.FileActionsAddOpen(fa, 2, stderrPath, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_TRUNC, 0x180);
            Libc.FileActionsAddDup2(fa, fds[1], SyncFd);
            // conmon writes its "oom" marker into its working directory.
            Libc.FileActionsAddChdir(fa, cwd);
            Libc.SpawnAttrInit(attr);
            Libc.SpawnAttrSetFlags(attr, Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF);
            Libc.SigEmptySet(sigs);
            Libc.SpawnAttrSetSigMask(attr, sigs);
            // .NET ignores SIGPIPE; ignored dispositions survive exec and would reach the container's processes.
            Libc.SigFillSet(sigs);
            Libc.SpawnAttrSetSigDefault(attr, sigs);

            var argv = stackalloc byte*[args.Count + 2];
            argv[0] = Utf8(path, strings);
            for (var i = 0; i < args.Count; i++) argv[i + 1] = Utf8(args[i], strings);
            argv[args.Count + 1] = null;
            var envp = stackalloc byte*[3];
            envp[0] = Utf8("PATH=" + (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), strings);
            envp[1] = Utf8("_OCI_SYNCPIPE=" + SyncFd, strings);
            envp[2] = null;

            int pid;
            var rc = Libc.PosixSpawn(&pid, argv[0], fa, attr, argv, envp);
            if (rc != 0)
            {
                Libc.Close(fds[0]);
                throw new EngineException(ErrorKind.Unknown, $"cannot start conmon ({path}): {Marshal.GetPInvokeErrorMessage(rc)}");
            }
            return (fds[0], pid);
        }
        finally
        {
            Libc.Close(fds[1]);
            Libc.FileActionsDestroy(fa);
            Libc.SpawnAttrDestroy(attr);
            NativeMemory.Free(fa);
            NativeMemory.Free(attr);
            NativeMemory.Free(sigs);
            foreach (var s in strings) Marshal.FreeCoTaskMem(s);
        }
    }

    private static unsafe byte* Utf8(string s, List<nint> owned)
    {
        var p = Marshal.StringToCoTaskMemUTF8(s);
        owned.Add(p);
        return (byte*)p;
    }

    private static unsafe int WaitPid(int pid)
    {
        int status;
        while (Libc.WaitPid(pid, &status, 0) < 0)
        {
            if (Marshal.GetLastPInvokeError() != Libc.EINTR) return 0; // already reaped elsewhere: nothing to report
        }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
    }

    /// <summary>Reads one line (conmon keeps the pipe open until the container exits, so never read to EOF).</summary>
    private static unsafe string? ReadLine(int fd, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var buf = new List<byte>(64);
        var one = stackalloc byte[256];
        while (true)
        {
            if (ct.IsCancellationRequested) return null;
            var left = deadline - Environment.TickCount64;
            if (left <= 0) throw new EngineException(ErrorKind.Unknown, "timed out waiting for conmon to create the container");
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
