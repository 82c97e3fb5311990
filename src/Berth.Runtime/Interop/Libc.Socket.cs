using System.Runtime.InteropServices;

namespace Berth.Runtime.Interop;

internal static partial class Libc
{
    internal const int SOL_SOCKET = 1;
    internal const int SCM_RIGHTS = 1;
    internal const int MSG_CMSG_CLOEXEC = 0x40000000;
    internal const nuint TIOCSWINSZ = 0x5414;

    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct MsgHdr
    {
        public void* Name;
        public uint NameLen;
        public IoVec* Iov;
        public nuint IovLen;
        public void* Control;
        public nuint ControlLen;
        public int Flags;
    }

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    internal static unsafe partial nint RecvMsg(int fd, MsgHdr* msg, int flags);

    /// <summary>Receives one file descriptor passed with SCM_RIGHTS (how runtimes hand over a pty master).</summary>
    internal static unsafe int ReceiveFd(int socketFd)
    {
        var data = stackalloc byte[4096];
        var control = stackalloc byte[64];
        var iov = new IoVec { Base = data, Length = 4096 };
        var msg = new MsgHdr { Iov = &iov, IovLen = 1, Control = control, ControlLen = 64 };
        nint n;
        do n = RecvMsg(socketFd, &msg, MSG_CMSG_CLOEXEC);
        while (n < 0 && Marshal.GetLastPInvokeError() == EINTR);
        if (n < 0) throw new IOException($"recvmsg: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        // struct cmsghdr { size_t len; int level; int type; } followed by the data at offset 16.
        if (msg.ControlLen < 20 || *(int*)(control + 8) != SOL_SOCKET || *(int*)(control + 12) != SCM_RIGHTS)
            throw new IOException("console socket: no file descriptor received");
        return *(int*)(control + 16);
    }

    internal static unsafe void SetWindowSize(int fd, int height, int width)
    {
        var ws = stackalloc ushort[4];
        ws[0] = (ushort)height;
        ws[1] = (ushort)width;
        if (Ioctl(fd, TIOCSWINSZ, ws) != 0)
            throw new IOException($"TIOCSWINSZ: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }
}
