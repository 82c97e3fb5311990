using System.Globalization;
using System.Text;
using Berth.Runtime.Interop;
using Berth.Runtime.Monitor;

namespace Berth.Monitor;

/// <summary>
/// Runs `RUNTIME create` with pipes (or a terminal) for the container's stdio and returns the container's pid and
/// our ends of its streams. The runtime forks the container's init and exits; init is then re-parented to us (we are
/// a child subreaper), so we can wait for it.
/// </summary>
internal static class ContainerCreation
{
    private const int F_SETPIPE_SZ = 1031;

    public static unsafe (int Pid, ContainerStdio Stdio) Create(MonitorOptions o)
    {
        var fds = stackalloc int[2];
        var ours = new List<int>();
        var theirs = new List<int>();
        int Pipe(bool weRead)
        {
            if (Libc.Pipe2(fds, Libc.O_CLOEXEC) != 0) throw new CreationFailedException("pipe2: " + Libc.LastError());
            var (mine, child) = weRead ? (fds[0], fds[1]) : (fds[1], fds[0]);
            ours.Add(mine);
            theirs.Add(child);
            // A container user other than root opens /dev/stdout (/proc/self/fd/1) by its mode, as with conmon.
            Libc.Fchmod(child, 0x1ff);
            return mine;
        }

        var stdout = o.Tty ? -1 : Pipe(weRead: true);
        var stderr = Pipe(weRead: true);
        var stdin = o.Stdin && !o.Tty ? Pipe(weRead: false) : -1;
        foreach (var fd in (ReadOnlySpan<int>)[stdout, stderr])
            if (fd >= 0) Libc.Fcntl(fd, F_SETPIPE_SZ, PipeSize.Value); // a chatty container runs ahead of us
        var console = o.Tty ? ConsoleSocket.Listen() : null;
        try
        {
            var args = new List<string>(o.RuntimeArguments) { "create", "--bundle", o.Bundle, "--pid-file", o.PidFile };
            if (console is not null) args.AddRange(["--console-socket", console.Path]);
            args.Add(o.Id);
            var descriptors = new List<(int, int)> { (2, theirs[ours.IndexOf(stderr)]) };
            if (stdout >= 0) descriptors.Add((1, theirs[ours.IndexOf(stdout)]));
            if (stdin >= 0) descriptors.Add((0, theirs[ours.IndexOf(stdin)]));
            var opens = new List<(int, string, int)>();
            if (stdin < 0) opens.Add((0, "/dev/null", Libc.O_RDONLY));
            if (stdout < 0) opens.Add((1, "/dev/null", Libc.O_WRONLY));
            var pid = Spawner.Spawn(new SpawnPlan(o.Runtime, args, [Spawner.PathVariable]) { Descriptors = descriptors, OpenFiles = opens });
            foreach (var fd in theirs) Libc.Close(fd);
            theirs.Clear();
            foreach (var fd in ours) SetNonBlocking(fd);

            var status = Spawner.Wait(pid);
            if (status != 0) throw new CreationFailedException(ReadAvailable(stderr) is { Length: > 0 } said ? said : $"{o.Runtime} create exited with status {status}");
            var master = -1;
            if (console is not null)
            {
                master = console.TakeTerminal();
                if (master < 0) throw new CreationFailedException("Runtime did not set up terminal");
                SetNonBlocking(master);
            }
            var containerPid = ReadPid(o.PidFile) ?? throw new CreationFailedException(
                ReadAvailable(stderr) is { Length: > 0 } text ? text : $"the runtime wrote no pid file {o.PidFile}");
            var output = master >= 0 ? master : stdout;
            var input = master >= 0 ? (o.Stdin ? master : -1) : stdin;
            return (containerPid, new ContainerStdio(output, stderr, input, master >= 0));
        }
        catch
        {
            foreach (var fd in ours) Libc.Close(fd);
            throw;
        }
        finally
        {
            foreach (var fd in theirs) Libc.Close(fd);
            console?.Dispose();
        }
    }

    private static readonly Lazy<int> PipeSize = new(() =>
    {
        try { return int.Parse(File.ReadAllText("/proc/sys/fs/pipe-max-size").Trim(), CultureInfo.InvariantCulture); }
        catch (IOException) { return 1 << 20; }
        catch (FormatException) { return 1 << 20; }
    });

    internal static void SetNonBlocking(int fd) => Libc.Fcntl(fd, Libc.F_SETFL, Libc.O_NONBLOCK);

    private static int? ReadPid(string path)
    {
        try { return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : null; }
        catch (IOException) { return null; }
    }

    /// <summary>What the runtime wrote to its stderr (the pipe is non-blocking; its write end is closed).</summary>
    private static unsafe string ReadAvailable(int fd)
    {
        var buf = stackalloc byte[8192];
        var n = Libc.Read(fd, buf, 8192);
        return n > 0 ? Encoding.UTF8.GetString(buf, (int)n).Trim() : "";
    }
}
