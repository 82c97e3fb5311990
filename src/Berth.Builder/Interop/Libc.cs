using System.Runtime.InteropServices;

namespace Berth.Builder.Interop;

/// <summary>The few syscalls file copying needs that .NET lacks: owners, without following symlinks.</summary>
internal static partial class Libc
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LchownNative(string path, int uid, int gid);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    public static void LchownOrThrow(string path, int uid, int gid)
    {
        if (LchownNative(path, uid, gid) != 0)
            throw new IOException($"lchown {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    /// <summary>The owner of a path (a symlink itself, not its target); non-zero on error.</summary>
    public static unsafe int Lstat(string path, out int uid, out int gid)
    {
        // struct statx is the same on every architecture: stx_uid at offset 20, stx_gid at 24.
        var buffer = stackalloc byte[256];
        var rc = Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxUid | StatxGid, buffer);
        var span = new ReadOnlySpan<byte>(buffer, 256);
        uid = rc == 0 ? (int)MemoryMarshal.Read<uint>(span[20..]) : 0;
        gid = rc == 0 ? (int)MemoryMarshal.Read<uint>(span[24..]) : 0;
        return rc;
    }
}
