using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Berth.Runtime.Oci;

/// <summary>The host's device nodes, which a privileged container gets (moby oci.HostDevices).</summary>
internal static partial class HostDevices
{
    private static readonly string[] s_skipDirs = ["/dev/pts", "/dev/shm", "/dev/fd", "/dev/mqueue", "/dev/.lxc", "/dev/.lxd-mounts", "/dev/.udev"];

    internal static JsonArray List()
    {
        var result = new JsonArray();
        Walk("/dev", result);
        return result;
    }

    /// <summary>The spec entry for one device node (following a symlink such as /dev/disk/by-id/…), or null if it is not one.</summary>
    internal static JsonObject? Describe(string path)
    {
        var resolved = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        return TryStat(resolved, out var mode, out var rdev) && (mode & 0xF000) is 0x2000 or 0x6000 ? Node(resolved, mode, rdev) : null;
    }

    private static JsonObject Node(string path, uint mode, ulong rdev)
    {
        var type = mode & 0xF000;
        var major = (long)(((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffUL));
        var minor = (long)((rdev & 0xff) | ((rdev >> 12) & ~0xffUL));
        return new JsonObject
        {
            ["path"] = path, ["type"] = type == 0x2000 ? "c" : "b", ["major"] = major, ["minor"] = minor, ["fileMode"] = mode & 0xFFF, ["uid"] = 0, ["gid"] = 0,
        };
    }

    private static void Walk(string dir, JsonArray result)
    {
        IEnumerable<string> entries;
        try { entries = Directory.EnumerateFileSystemEntries(dir); }
        catch (IOException) { return; }
        catch (UnauthorizedAccessException) { return; }
        foreach (var path in entries)
        {
            if (s_skipDirs.Contains(path) || path == "/dev/console") continue;
            if (!TryStat(path, out var mode, out var rdev)) continue;
            var type = mode & 0xF000;
            if (type == 0x4000) { Walk(path, result); continue; }
            if (type is not (0x2000 or 0x6000)) continue;
            result.Add((JsonNode)Node(path, mode, rdev));
        }
    }

    private static unsafe bool TryStat(string path, out uint mode, out ulong rdev)
    {
        var buf = stackalloc byte[256];
        mode = 0;
        rdev = 0;
        if (Lstat(path, buf) != 0) return false;
        // struct stat differs by ABI: x86_64 has st_nlink (8 bytes) before st_mode; the generic layout (arm64) after.
        if (RuntimeInformation.OSArchitecture == Architecture.X64) { mode = *(uint*)(buf + 24); rdev = *(ulong*)(buf + 40); }
        else { mode = *(uint*)(buf + 16); rdev = *(ulong*)(buf + 32); }
        return true;
    }

    [LibraryImport("libc", EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Lstat(string path, byte* buf);
}
