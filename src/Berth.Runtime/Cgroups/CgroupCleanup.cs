namespace Berth.Runtime.Cgroups;

/// <summary>Removes a container's cgroup directories the runtime left behind (it normally removes them on delete).</summary>
internal static class CgroupCleanup
{
    internal static void TryRemove(string controller, string cgroupsPath, ILogSink? log)
    {
        if (CgroupInfo.PathFor(controller, cgroupsPath) is not { } dir || !Directory.Exists(dir)) return;
        try
        {
            // Children first: rmdir only works on empty cgroups, and files inside are kernel-provided (no unlink).
            foreach (var child in Directory.GetDirectories(dir)) TryRemoveDir(child);
            Directory.Delete(dir);
        }
        catch (IOException e) { log?.Write($"runtime: cannot remove cgroup {dir}: {e.Message}"); }
    }

    private static void TryRemoveDir(string dir)
    {
        foreach (var child in Directory.GetDirectories(dir)) TryRemoveDir(child);
        Directory.Delete(dir);
    }
}
