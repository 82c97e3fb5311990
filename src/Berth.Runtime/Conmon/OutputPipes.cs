using System.Globalization;
using System.Runtime.InteropServices;
using Berth.Runtime.Interop;

namespace Berth.Runtime.Conmon;

/// <summary>
/// Enlarges the pipes conmon made for a container's stdout and stderr, before the container starts writing.
/// conmon reads at most 8 KiB per wakeup; with the default 64 KiB pipe a chatty container fills it at once and then
/// sleeps and wakes for every few KiB conmon drains, and on a loaded machine each wakeup waits for a time slice.
/// A pipe of pipe-max-size (1 MiB by default) lets the container run ahead while conmon catches up. The kernel
/// allocates the pipe's pages only as they fill and charges them to the writer (the container's memory cgroup),
/// so a quiet container costs nothing more.
/// </summary>
internal static class OutputPipes
{
    private const int F_SETPIPE_SZ = 1031;
    private const int F_GETPIPE_SZ = 1032;
    private const int FallbackSize = 1 << 20;

    private static readonly Lazy<int> s_size = new(ReadMaxSize);

    /// <summary>Resizes fds 1 and 2 of the container's init process; quietly does nothing for what is not a pipe (a TTY).</summary>
    public static void Enlarge(int initPid, ILogSink? log)
    {
        foreach (var fd in (ReadOnlySpan<int>)[1, 2])
        {
            // Opening /proc/<pid>/fd/N yields a new description of the same pipe; O_NONBLOCK so it cannot block.
            var handle = Libc.Open($"/proc/{initPid}/fd/{fd}", Libc.O_WRONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
            if (handle < 0) continue;
            try
            {
                if (Libc.Fcntl(handle, F_GETPIPE_SZ, 0) < 0) continue; // not a pipe
                if (Libc.Fcntl(handle, F_SETPIPE_SZ, s_size.Value) < 0)
                    log?.Write($"runtime: cannot enlarge the output pipe of {initPid}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
            finally
            {
                Libc.Close(handle);
            }
        }
    }

    private static int ReadMaxSize()
    {
        try
        {
            var text = File.ReadAllText("/proc/sys/fs/pipe-max-size").Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : FallbackSize;
        }
        catch (IOException) { return FallbackSize; }
    }
}
