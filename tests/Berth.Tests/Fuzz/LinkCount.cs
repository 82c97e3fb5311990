using System.Runtime.InteropServices;

namespace Berth.Tests.Fuzz;

/// <summary>st_nlink of a file (x86-64 layout of struct stat), to see whether a hard link to it was made.</summary>
internal static partial class LinkCount
{
    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, Span<byte> buf);

    /// <summary>The link count, or null where the layout is not known (not x86-64) or stat failed.</summary>
    public static ulong? Of(string path)
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64) return null;
        Span<byte> buf = stackalloc byte[256];
        if (Stat(path, buf) != 0) return null;
        return BitConverter.ToUInt64(buf[16..24]);
    }
}
