using System.Globalization;
using Berth.Runtime.Interop;
using Berth.Runtime.Monitor;

namespace Berth.Monitor;

/// <summary>
/// berth-monitor: one per container, started by berthd in a session of its own. It creates the container through the
/// OCI runtime, tells berthd the pid on the sync pipe, then holds the container's stdio, writes its log, serves
/// attach and reports the exit, also while berthd is down or restarting.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var sync = new SyncPipe();
        MonitorOptions options;
        try { options = MonitorOptions.Parse(args); }
        catch (FormatException e)
        {
            MonitorLog.Warn(e.Message);
            sync.ReportFailure("berth-monitor: " + e.Message);
            return 2;
        }

        AttachServer? attach = null;
        ControlFifo? control = null;
        LogFile? log = null;
        try
        {
            File.WriteAllText(options.MonitorPidFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            // The runtime's create forks init and exits; as a subreaper we inherit init and can wait for it.
            if (Libc.Prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) MonitorLog.Warn("cannot become a subreaper: " + Libc.LastError());
            // The attach socket exists before berthd hears the pid, so it can attach before it starts the container.
            attach = AttachServer.Listen(options.Bundle);
            control = ControlFifo.Open(options.Bundle);
            if (options.LogPath is not null) log = new LogFile(options.LogPath);
            var (pid, stdio) = ContainerCreation.Create(options);
            sync.ReportPid(pid);
            return new ContainerMonitor(options, pid, stdio, log, attach, control).Run();
        }
        catch (Exception e) when (e is CreationFailedException or IOException or UnauthorizedAccessException)
        {
            MonitorLog.Warn(e.Message);
            sync.ReportFailure(e.Message);
            log?.Dispose();
            attach?.Dispose();
            control?.Dispose();
            return 1;
        }
    }
}
