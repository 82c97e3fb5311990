using System.Globalization;

namespace Berth.Monitor;

/// <summary>
/// What berthd reads when the container is gone: EXITDIR/ID with the exit code (written to a temp name and renamed,
/// so berthd's watcher never sees half a file) and PERSISTDIR/oom when the kernel's OOM killer struck the container.
/// </summary>
internal static class ExitReport
{
    public static void Write(string exitDir, string id, string persistDir, int exitCode, string? oomFile)
    {
        if (OomKilled(oomFile))
        {
            try { File.WriteAllText(Path.Combine(persistDir, "oom"), ""); }
            catch (IOException e) { MonitorLog.Warn($"oom marker: {e.Message}"); }
        }
        var final = Path.Combine(exitDir, id);
        var temp = final + ".tmp"; // berthd's watcher skips names with a dot
        File.WriteAllText(temp, exitCode.ToString(CultureInfo.InvariantCulture));
        File.Move(temp, final, overwrite: true);
    }

    /// <summary>The memory cgroup's oom_kill counter (v1 memory.oom_control, v2 memory.events) is above zero.</summary>
    internal static bool OomKilled(string? file)
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
