using System.Runtime.InteropServices;
using Berth.Cli.Terminal;

namespace Berth.Cli.Streams;

/// <summary>Sends the local terminal size after start and on every SIGWINCH (the CLI retries the first resize, since
/// the process may not exist yet).</summary>
internal sealed class TtyResizer : IDisposable
{
    private readonly Func<int, int, CancellationToken, Task> _resize;
    private readonly PosixSignalRegistration? _winch;

    public TtyResizer(Func<int, int, CancellationToken, Task> resize)
    {
        _resize = resize;
        _winch = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, ctx =>
        {
            ctx.Cancel = true;
            _ = ResizeOnceAsync(CancellationToken.None);
        });
    }

    public static (int Height, int Width)? CurrentSize() => TerminalInterop.GetSize(1) ?? TerminalInterop.GetSize(0);

    public async Task InitialAsync(CancellationToken ct)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (await ResizeOnceAsync(ct)) return;
            await Task.Delay(TimeSpan.FromMilliseconds(10 * (attempt + 1)), ct);
        }
    }

    private async Task<bool> ResizeOnceAsync(CancellationToken ct)
    {
        if (CurrentSize() is not { } size) return true;
        try
        {
            await _resize(size.Height, size.Width, ct);
            return true;
        }
        catch (Client.DockerApiException)
        {
            return false;
        }
    }

    public void Dispose() => _winch?.Dispose();
}
