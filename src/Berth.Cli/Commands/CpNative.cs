using System.Runtime.InteropServices;

namespace Berth.Cli.Commands;

/// <summary>The few file calls <c>cp</c> needs that .NET lacks: owners (statx, lchown) and hard links.</summary>
internal static partial class CpNative
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;

    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct Statx
    {
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(24)] public uint Gid;
        [FieldOffset(28)] public ushort Mode;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatxCall(int dirfd, string path, int flags, uint mask, out Statx buf);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LchownCall(string path, int uid, int gid);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LinkCall(string oldPath, string newPath);

    /// <summary>Owner and full st_mode of a path (the link itself for a symlink).</summary>
    public static (int Uid, int Gid, uint Mode) Owner(string path)
    {
        if (StatxCall(AtFdCwd, path, AtSymlinkNoFollow, 0x7ff, out var st) != 0)
            throw new IOException($"stat {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        return ((int)st.Uid, (int)st.Gid, st.Mode);
    }

    public static void Lchown(string path, long uid, long gid)
    {
        if (LchownCall(path, (int)uid, (int)gid) != 0)
            throw new IOException($"lchown {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    public static void Link(string target, string path)
    {
        if (LinkCall(target, path) != 0)
            throw new IOException($"link {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }
}
