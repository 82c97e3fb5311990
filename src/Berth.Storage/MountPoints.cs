using Berth.Storage.Interop;

namespace Berth.Storage;

/// <summary>
/// Whether a directory is the root of a mount, from two statx calls (no walk of /proc/self/mountinfo): used on the
/// container start and teardown paths, so it must stay cheap however many containers are running.
/// </summary>
public static class MountPoints
{
    public static bool IsMountPoint(string path)
    {
        if (Libc.Statx(Libc.AT_FDCWD, path, Libc.AT_SYMLINK_NOFOLLOW, StatxBuffer.MaskBasic, out var self) != 0) return false;
        // STATX_ATTR_MOUNT_ROOT also catches bind mounts of the same file system; the device check covers older kernels.
        if ((self.AttributesMask & StatxBuffer.AttrMountRoot) != 0 && (self.Attributes & StatxBuffer.AttrMountRoot) != 0) return true;
        if (Libc.Statx(Libc.AT_FDCWD, Path.GetDirectoryName(path)!, Libc.AT_SYMLINK_NOFOLLOW, StatxBuffer.MaskBasic, out var parent) != 0) return false;
        return self.DevMajor != parent.DevMajor || self.DevMinor != parent.DevMinor;
    }

}
