using System.Runtime.InteropServices;

namespace Berth.Cli.Streams;

/// <summary>Forwards SIGINT/SIGTERM to the container (<c>POST /containers/{id}/kill?signal=N</c>) instead of dying, as
/// the CLI's sig-proxy does for a non-TTY foreground run.</summary>
internal sealed class SignalProxy : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;

    public SignalProxy(Func<string, Task> kill)
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Forward(c, "2", kill)),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Forward(c, "15", kill)),
        ];
    }

    private static void Forward(PosixSignalContext context, string signal, Func<string, Task> kill)
    {
        context.Cancel = true;
        _ = kill(signal).ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
    }
}
