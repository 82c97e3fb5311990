using System.Text;
using Berth.Runtime.Interop;

namespace Berth.Monitor;

/// <summary>The monitor's own complaints, to its stderr (a file berthd shows when the container fails to start).</summary>
internal static class MonitorLog
{
    public static void Warn(string message)
    {
        try { Libc.WriteAll(2, Encoding.UTF8.GetBytes($"berth-monitor: {message}\n")); }
        catch (IOException) { }
    }
}
