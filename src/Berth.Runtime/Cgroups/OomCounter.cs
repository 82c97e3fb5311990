using System.Globalization;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// A container's memory cgroup counts the processes the kernel's OOM killer took (v1 memory.oom_control, v2
/// memory.events, the line "oom_kill N"). The monitor reads it when the container exits; berthd reads it when the
/// monitor's marker is missing. It lasts until the runtime deletes the cgroup.
/// </summary>
internal static class OomCounter
{
    /// <summary>The counter's file for a container, or null without a memory controller.</summary>
    public static string? FileFor(string containerId) =>
        CgroupInfo.PathFor("memory", CgroupInfo.ContainerCgroupsPath(containerId)) is { } dir
            ? Path.Combine(dir, CgroupInfo.Version == 2 ? "memory.events" : "memory.oom_control")
            : null;

    public static bool HasKilled(string? file)
    {
        if (file is null) return false;
        try
        {
            foreach (var line in File.ReadLines(file))
                if (line.StartsWith("oom_kill ", StringComparison.Ordinal)
                    && long.TryParse(line.AsSpan(9), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0) return true;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return false;
    }
}
