using System.Runtime.InteropServices;

namespace Berth.Integration.Tests.Support;

/// <summary>The few syscalls tests need: SIGTERM (Process.Kill only sends SIGKILL), lazy unmounts, a pipe's size.</summary>
internal static partial class Libc
{
    internal const int SIGTERM = 15;
    internal const int SIGKILL = 9;
    internal const int MNT_DETACH = 2;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Umount2(string target, int flags);

    internal const int O_WRONLY = 1;
    internal const int O_NONBLOCK = 0x800;
    internal const int F_GETPIPE_SZ = 1032;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int cmd, int arg);

    /// <summary>The capacity of the pipe behind /proc/&lt;pid&gt;/fd/&lt;fd&gt;, or -1.</summary>
    internal static int PipeSize(int pid, int fd)
    {
        var handle = Open($"/proc/{pid}/fd/{fd}", O_WRONLY | O_NONBLOCK, 0);
        if (handle < 0) return -1;
        try { return Fcntl(handle, F_GETPIPE_SZ, 0); }
        finally { Close(handle); }
    }
}
