using System.Runtime.InteropServices;

namespace Berth.Builder.Interop;

/// <summary>The few syscalls file copying needs that .NET lacks: owners, without following symlinks.</summary>
internal static partial class Libc
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;
    private const uint StatxBasicStats = 0x7ff;

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LchownNative(string path, int uid, int gid);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial nint Lgetxattr(string path, string name, byte* value, nuint size);

    /// <summary>What moby's tar header of a file on disk takes from lstat: type and mode bits, owners, size and device numbers.</summary>
    public readonly record struct StatInfo(uint Mode, int Uid, int Gid, long Size, uint RdevMajor, uint RdevMinor);

    /// <summary>lstat through statx; null when the path does not exist or cannot be read.</summary>
    public static unsafe StatInfo? LstatFull(string path)
    {
        // struct statx: stx_uid at 20, stx_gid at 24, stx_mode (u16) at 28, stx_size at 40, stx_rdev_major/minor at 128/132.
        var buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0) return null;
        var span = new ReadOnlySpan<byte>(buffer, 256);
        return new StatInfo(MemoryMarshal.Read<ushort>(span[28..]), (int)MemoryMarshal.Read<uint>(span[20..]), (int)MemoryMarshal.Read<uint>(span[24..]),
            (long)MemoryMarshal.Read<ulong>(span[40..]), MemoryMarshal.Read<uint>(span[128..]), MemoryMarshal.Read<uint>(span[132..]));
    }

    /// <summary>An extended attribute of a path (not following a last symlink); null when it has none.</summary>
    public static unsafe byte[]? GetXattr(string path, string name)
    {
        var buffer = stackalloc byte[256];
        var n = Lgetxattr(path, name, buffer, 256);
        return n < 0 ? null : new ReadOnlySpan<byte>(buffer, (int)n).ToArray();
    }

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
