using System.Runtime.InteropServices;

namespace Berth.Storage.Interop;

/// <summary>mount(2), umount2(2) and unshare(2), for volume mounts and the private mount namespace of a stopped container's file view.</summary>
internal static partial class Libc
{
    public const ulong MS_RDONLY = 0x1;
    public const ulong MS_NOSUID = 0x2;
    public const ulong MS_NODEV = 0x4;
    public const ulong MS_NOEXEC = 0x8;
    public const ulong MS_SYNCHRONOUS = 0x10;
    public const ulong MS_REMOUNT = 0x20;
    public const ulong MS_NOATIME = 0x400;
    public const ulong MS_NODIRATIME = 0x800;
    public const ulong MS_BIND = 0x1000;
    public const ulong MS_REC = 0x4000;
    public const ulong MS_PRIVATE = 1 << 18;
    public const ulong MS_SLAVE = 1 << 19;
    public const ulong MS_RELATIME = 1 << 21;
    public const ulong MS_STRICTATIME = 1 << 24;
    public const int MNT_DETACH = 2;
    public const int CLONE_NEWNS = 0x00020000;
    public const int EINVAL = 22;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EROFS = 30;
    public const int ELOOP = 40;
    public const int EXDEV = 18;
    public const int ENOTEMPTY = 39;
    public const ulong RESOLVE_NO_SYMLINKS = 0x04;
    public const ulong RESOLVE_BENEATH = 0x08;

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mount(string? source, string target, string? fsType, ulong flags, string? data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Umount2(string target, int flags);

    [LibraryImport("libc", EntryPoint = "unshare", SetLastError = true)]
    public static partial int Unshare(int flags);
}
