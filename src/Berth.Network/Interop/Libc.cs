using System.Runtime.InteropServices;

namespace Berth.Network.Interop;

/// <summary>The few libc calls network setup needs: entering a namespace and the classic interface ioctls.</summary>
internal static partial class Libc
{
    internal const int CLONE_NEWNET = 0x40000000;
    internal const int O_RDONLY = 0;
    internal const int O_CLOEXEC = 0x80000;
    internal const int AF_INET = 2;
    internal const int SOCK_DGRAM = 2;
    internal const int SOCK_CLOEXEC = 0x80000;
    internal const nuint SIOCADDRT = 0x890B;
    internal const nuint SIOCGIFFLAGS = 0x8913;
    internal const nuint SIOCSIFFLAGS = 0x8914;
    internal const nuint SIOCSIFADDR = 0x8916;
    internal const nuint SIOCSIFNETMASK = 0x891C;
    internal const short IFF_UP = 0x1;
    internal const ushort RTF_UP = 0x1;
    internal const ushort RTF_GATEWAY = 0x2;
    internal const int EEXIST = 17;

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    internal static partial int SetNs(int fd, int nstype);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    internal static unsafe partial int Ioctl(int fd, nuint request, void* arg);

    internal static string LastError() => Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
}
