using System.Runtime.InteropServices;
using Berth.Runtime.Interop;
using Berth.Runtime.Monitor;

namespace Berth.Monitor;

/// <summary>
/// The monitor's life after the container exists: one thread polling the container's output, the attach socket and
/// its clients, the control fifo and a pidfd of the container's init. Output is read a MiB at a time when there is
/// that much, logged and passed to attached clients. When init exits, what is left in the pipes is drained and
/// logged before the exit file is written, so `logs` after `wait` has every line.
/// </summary>
internal sealed unsafe class ContainerMonitor(MonitorOptions options, int pid, ContainerStdio stdio, LogFile? log, AttachServer attach, ControlFifo control)
{
    private const int ReadSize = 1 << 20;
    private const int ExitUnknown = 255;
    private int _output = stdio.Output;
    private int _errors = stdio.Errors;
    private readonly StdinQueue? _stdin = stdio.Input >= 0 ? new StdinQueue(stdio.Input) : null;
    private int? _exitCode;

    public int Run()
    {
        // malloc'd, not a managed array: pages a quiet container never fills are never made resident.
        var buffer = (byte*)NativeMemory.Alloc(ReadSize);
        var pidfd = Libc.PidfdOpen(pid);
        try
        {
            while (_exitCode is null)
            {
                Step(buffer, pidfd);
                Reap(pidfd);
            }
            Drain(ref _output, 1, buffer);
            Drain(ref _errors, 2, buffer);
        }
        finally
        {
            if (pidfd >= 0) Libc.Close(pidfd);
            log?.Dispose();
            attach.Dispose();
            control.Dispose();
            NativeMemory.Free(buffer);
        }
        ExitReport.Write(options.ExitDir, options.Id, options.PersistDir, _exitCode ?? ExitUnknown, options.OomFile);
        return 0;
    }

    private void Step(byte* buffer, int pidfd)
    {
        var watched = new List<(int Fd, short Events, Action Handle)>(8 + attach.Clients.Count);
        // New clients first: one that connected before the container started must not miss its first output.
        watched.Add((attach.ListenerFd, Libc.POLLIN, attach.Accept));
        if (pidfd >= 0) watched.Add((pidfd, Libc.POLLIN, static () => { }));
        if (_output >= 0) watched.Add((_output, Libc.POLLIN, () => ReadOutput(ref _output, 1, buffer)));
        if (_errors >= 0) watched.Add((_errors, Libc.POLLIN, () => ReadOutput(ref _errors, 2, buffer)));
        watched.Add((control.Fd, Libc.POLLIN, RunControlCommands));
        if (_stdin is { HasPending: true, Fd: >= 0 }) watched.Add((_stdin.Fd, Libc.POLLOUT, _stdin.Pump));
        else
        {
            foreach (var client in attach.Clients)
                if (client.Sending) watched.Add((client.Fd, Libc.POLLIN, () => ReadClient(client, buffer)));
        }

        var fds = stackalloc Libc.PollFd[watched.Count];
        for (var i = 0; i < watched.Count; i++) fds[i] = new Libc.PollFd { Fd = watched[i].Fd, Events = watched[i].Events };
        // Without a pidfd the exit is found by polling waitpid.
        var ready = Libc.Poll(fds, (nuint)watched.Count, pidfd >= 0 ? 1000 : 50);
        if (ready <= 0) return;
        for (var i = 0; i < watched.Count; i++)
            if (fds[i].REvents != 0) watched[i].Handle();
    }

    private void ReadOutput(ref int fd, int stream, byte* buffer)
    {
        var n = Libc.Read(fd, buffer, ReadSize);
        if (n > 0)
        {
            Deliver(stream, new ReadOnlySpan<byte>(buffer, (int)n));
            return;
        }
        if (n < 0 && Marshal.GetLastPInvokeError() is Libc.EAGAIN or Libc.EINTR) return;
        // End of file, or EIO from a terminal whose last user closed it.
        Libc.Close(fd);
        fd = -1;
    }

    private void Drain(ref int fd, int stream, byte* buffer)
    {
        while (fd >= 0)
        {
            var n = Libc.Read(fd, buffer, ReadSize);
            if (n > 0)
            {
                Deliver(stream, new ReadOnlySpan<byte>(buffer, (int)n));
                continue;
            }
            if (n < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR) continue;
            // EAGAIN: a process outside the container's pid namespace may still hold the pipe; we do not wait for it.
            Libc.Close(fd);
            fd = -1;
        }
    }

    /// <summary>Output goes to the log and to every attached client.</summary>
    private void Deliver(int stream, ReadOnlySpan<byte> data)
    {
        log?.Write(stream, data);
        attach.Broadcast(stream, data);
    }

    private void ReadClient(AttachClient client, byte* buffer)
    {
        if (client.Closed) return;
        var n = Libc.Read(client.Fd, buffer, AttachServer.MaxPacket);
        if (n > 0)
        {
            _stdin?.Enqueue(new ReadOnlySpan<byte>(buffer, (int)n));
            return;
        }
        if (n < 0 && Marshal.GetLastPInvokeError() is Libc.EAGAIN or Libc.EINTR) return;
        // The client is done sending (or gone): it keeps receiving output; stdin closes unless it is to stay open.
        client.Sending = false;
        if (n < 0) attach.Drop(client);
        if (options.Stdin && !options.LeaveStdinOpen) _stdin?.CloseWhenDrained();
    }

    private void RunControlCommands()
    {
        foreach (var (kind, a, b) in control.Read())
        {
            if (kind == 1 && stdio.IsTerminal)
            {
                try { Libc.SetWindowSize(stdio.Output, a, b); }
                catch (IOException e) { MonitorLog.Warn(e.Message); }
            }
            else if (kind == 2) log?.Reopen();
        }
    }

    /// <summary>Collects exited children: the container's init, and the runtime's helpers re-parented to us.</summary>
    private void Reap(int pidfd)
    {
        int status;
        int r;
        while ((r = Libc.WaitPid(-1, &status, Libc.WNOHANG)) > 0)
            if (r == pid) _exitCode = Spawner.ExitCode(status);
        if (_exitCode is null && r < 0 && Marshal.GetLastPInvokeError() == Libc.ECHILD && IsGone(pidfd))
            _exitCode = ExitUnknown; // init was never our child (no subreaper): its status is not ours to read
    }

    private static bool IsGone(int pidfd)
    {
        if (pidfd < 0) return true;
        var fd = new Libc.PollFd { Fd = pidfd, Events = Libc.POLLIN };
        return Libc.Poll(&fd, 1, 0) > 0;
    }
}
