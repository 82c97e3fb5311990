using System.Runtime.InteropServices;

namespace Berth.Integration.Tests.Volumes;

/// <summary>Owners of local files (.NET has no API for them), for the cp round-trip tests.</summary>
internal static partial class FileOwners
{
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct Statx
    {
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(24)] public uint Gid;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatxCall(int dirfd, string path, int flags, uint mask, out Statx buf);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LchownCall(string path, int uid, int gid);

    public static (int Uid, int Gid) Owner(string path)
    {
        if (StatxCall(-100, path, 0x100, 0x7ff, out var st) != 0) throw new IOException($"stat {path}: errno {Marshal.GetLastPInvokeError()}");
        return ((int)st.Uid, (int)st.Gid);
    }

    public static void Lchown(string path, int uid, int gid)
    {
        if (LchownCall(path, uid, gid) != 0) throw new IOException($"lchown {path}: errno {Marshal.GetLastPInvokeError()}");
    }
}
