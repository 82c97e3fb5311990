using Berth.Storage.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Storage.Content;

/// <summary>
/// Starts the kernel's writeback of data just written, without waiting for it. The fsync (or syncfs) that must precede a rename
/// into place then finds most of the data already on disk instead of writing it all at that moment, so disk writes overlap the
/// download and the unpacking instead of following them. Purely an optimisation: the durability point is still that fsync.
/// </summary>
public static class Writeback
{
    /// <summary>Below this, a file is left to the final sync: a syscall per small file costs more than it saves.</summary>
    public const long MinBytes = 1 << 20;

    public static void Start(SafeFileHandle handle, long offset, long length)
    {
        if (length < MinBytes) return;
        // Best effort: a file system without support (EINVAL, ESPIPE) just writes everything at the final sync.
        _ = Libc.SyncFileRange((int)handle.DangerousGetHandle(), offset, length, Libc.SYNC_FILE_RANGE_WRITE);
    }
}
