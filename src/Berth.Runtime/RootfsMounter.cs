using System.Runtime.InteropServices;
using Berth.Core.Errors;
using Berth.Runtime.Interop;

namespace Berth.Runtime;

/// <summary>Mounts a container's root (overlay of read-only snapshots plus its own upper dir) and unmounts it.</summary>
public static class RootfsMounter
{
    /// <summary>lowerDirs are ordered top-most first, as overlayfs' lowerdir option wants them.</summary>
    public static void MountOverlay(IReadOnlyList<string> lowerDirs, string upper, string work, string target)
    {
        if (lowerDirs.Count == 0) throw new ArgumentException("overlay needs at least one lower dir", nameof(lowerDirs));
        var options = $"lowerdir={string.Join(':', lowerDirs)},upperdir={upper},workdir={work}";
        // The kernel takes one page of mount data.
        if (options.Length >= 4096) throw new InvalidArgumentException($"overlay mount options too long ({options.Length} bytes, {lowerDirs.Count} layers)");
        Directory.CreateDirectory(target);
        if (Libc.Mount("overlay", target, "overlay", 0, options) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new EngineException(ErrorKind.Unknown, $"mount overlay on {target}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    /// <summary>Unmounts target; a path that is not mounted is not an error.</summary>
    public static void Unmount(string target, bool detach = true)
    {
        if (Libc.Umount2(target, detach ? Libc.MNT_DETACH : 0) == 0) return;
        var errno = Marshal.GetLastPInvokeError();
        if (errno is 22 /* EINVAL: not a mount point */ or 2 /* ENOENT */) return;
        throw new EngineException(ErrorKind.Unknown, $"unmount {target}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }
}
