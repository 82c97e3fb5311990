using System.Runtime.InteropServices;

namespace Berth.Runtime.Interop;

/// <summary>What a container monitor needs beyond files: reaping, subreaping, pidfds, unix sockets and fifos.</summary>
internal static partial class Libc
{
    internal const int WNOHANG = 1;
    internal const int ECHILD = 10;
    internal const int ENOENT = 2;
    internal const int EEXIST = 17;
    internal const int PR_SET_CHILD_SUBREAPER = 36;
    internal const short POLLOUT = 4;
    internal const short POLLERR = 8;
    internal const short POLLHUP = 16;
    internal const short POLLNVAL = 32;
    internal const int AF_UNIX = 1;
    internal const int SOCK_STREAM = 1;
    internal const int SOCK_SEQPACKET = 5;
    internal const int SOCK_NONBLOCK = 0x800;
    internal const int SOCK_CLOEXEC = 0x80000;
    internal const int MSG_NOSIGNAL = 0x4000;
    internal const int SHUT_RD = 0;
    internal const int SHUT_WR = 1;
    internal const int F_SETFL = 4;
    internal const int O_RDWR = 2;
    internal const int O_APPEND = 0x400;
    private const long SYS_pidfd_open = 434;

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    internal static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long arg1, long arg2);

    /// <summary>A descriptor that polls readable when the process exits (Linux 5.3+).</summary>
    internal static int PidfdOpen(int pid) => (int)Syscall(SYS_pidfd_open, pid, 0);

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    internal static unsafe partial int Bind(int fd, byte* addr, uint addrLen);

    [LibraryImport("libc", EntryPoint = "listen", SetLastError = true)]
    internal static partial int Listen(int fd, int backlog);

    [LibraryImport("libc", EntryPoint = "accept4", SetLastError = true)]
    internal static unsafe partial int Accept4(int fd, void* addr, void* addrLen, int flags);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    internal static unsafe partial nint Send(int fd, byte* buf, nint count, int flags);

    [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    internal static partial int Shutdown(int fd, int how);

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Mkfifo(string path, int mode);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    internal static partial int Fchmod(int fd, int mode);

    [LibraryImport("libc", EntryPoint = "writev", SetLastError = true)]
    internal static unsafe partial nint Writev(int fd, IoVec* iov, int count);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    internal static partial long Lseek(int fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    internal static partial int Ftruncate(int fd, long length);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    internal static unsafe partial nint Pread(int fd, byte* buf, nint count, long offset);

    internal static string LastError() => Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());

    /// <summary>
    /// Binds a unix socket at DIR/NAME through /proc/self/fd/&lt;dir&gt;/NAME, so a deep directory does not overflow
    /// sun_path's 108 bytes (the kernel resolves the proc link like the real path).
    /// </summary>
    internal static unsafe int BindInDirectory(int socketFd, string dir, string name)
    {
        var dirFd = Open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        if (dirFd < 0) return -1;
        try
        {
            var path = System.Text.Encoding.UTF8.GetBytes($"/proc/self/fd/{dirFd}/{name}");
            if (path.Length > 107) return -1;
            var addr = stackalloc byte[110];
            new Span<byte>(addr, 110).Clear();
            *(ushort*)addr = AF_UNIX;
            path.CopyTo(new Span<byte>(addr + 2, 108));
            return Bind(socketFd, addr, (uint)(2 + path.Length + 1));
        }
        finally
        {
            Close(dirFd);
        }
    }
}
