using System.Globalization;
using Berth.Runtime.Cgroups;

namespace Berth.Monitor;

/// <summary>
/// What berthd reads when the container is gone: EXITDIR/ID with the exit code (written to a temp name and renamed,
/// so berthd's watcher never sees half a file) and PERSISTDIR/oom when the kernel's OOM killer struck the container.
/// </summary>
internal static class ExitReport
{
    public static void Write(string exitDir, string id, string persistDir, int exitCode, string? oomFile)
    {
        if (OomCounter.HasKilled(oomFile))
        {
            try { File.WriteAllText(Path.Combine(persistDir, "oom"), ""); }
            catch (IOException e) { MonitorLog.Warn($"oom marker: {e.Message}"); }
        }
        var final = Path.Combine(exitDir, id);
        var temp = final + ".tmp"; // berthd's watcher skips names with a dot
        File.WriteAllText(temp, exitCode.ToString(CultureInfo.InvariantCulture));
        File.Move(temp, final, overwrite: true);
    }
}
