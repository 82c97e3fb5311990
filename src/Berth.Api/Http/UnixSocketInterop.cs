using System.Runtime.InteropServices;

namespace Berth.Api.Http;

internal static partial class UnixSocketInterop
{
    // uid_t/gid_t (uint)-1 leaves that id unchanged.
    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Chown(string path, uint owner, uint group);

    public static void ChangeGroup(string path, int groupId)
    {
        if (Chown(path, uint.MaxValue, (uint)groupId) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"chown {path} to group {groupId}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }
}
