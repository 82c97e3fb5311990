using System.Runtime.InteropServices;

namespace Berth.Runtime.Interop;

internal static partial class Libc
{
    internal const nuint MS_RDONLY = 1;
    internal const int MNT_DETACH = 2;

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Mount(string source, string target, string? fsType, nuint flags, string? data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Umount2(string target, int flags);

    [LibraryImport("libc", EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int StatFs(string path, byte* buf);

    /// <summary>f_type of the filesystem at path (first field of struct statfs on 64-bit Linux).</summary>
    internal static unsafe long FileSystemType(string path)
    {
        var buf = stackalloc byte[256];
        return StatFs(path, buf) == 0 ? *(long*)buf : -1;
    }
}
