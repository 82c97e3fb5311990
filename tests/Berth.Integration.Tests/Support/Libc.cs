using System.Runtime.InteropServices;

namespace Berth.Integration.Tests.Support;

/// <summary>The few syscalls test cleanup needs: SIGTERM (Process.Kill only sends SIGKILL) and lazy unmounts.</summary>
internal static partial class Libc
{
    internal const int SIGTERM = 15;
    internal const int SIGKILL = 9;
    internal const int MNT_DETACH = 2;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Umount2(string target, int flags);
}
