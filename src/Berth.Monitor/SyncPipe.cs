using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Berth.Runtime.Interop;

namespace Berth.Monitor;

/// <summary>
/// The pipe berthd waits on (fd 3, as with conmon): one JSON line, <c>{"data": PID}</c> once the container exists,
/// or <c>{"data": -1, "message": "..."}</c> when it could not be created. Closed after that line, so berthd's read ends.
/// </summary>
internal sealed class SyncPipe
{
    public const int Fd = 3;
    private const int F_SETFD = 2;
    private const int FD_CLOEXEC = 1;
    private bool _open = true;

    public SyncPipe()
    {
        // Inherited without close-on-exec; the runtime and the container must not get it.
        Libc.Fcntl(Fd, F_SETFD, FD_CLOEXEC);
    }

    public void ReportPid(int pid) => Send($"{{\"data\": {pid}}}\n");

    public void ReportFailure(string message) => Send($"{{\"data\": -1, \"message\": \"{Escape(message.Trim())}\"}}\n");

    private void Send(string line)
    {
        if (!_open) return;
        _open = false;
        try { Libc.WriteAll(Fd, Encoding.UTF8.GetBytes(line)); }
        catch (IOException) { } // berthd gave up waiting; nothing to tell
        Libc.Close(Fd);
    }

    /// <summary>The text as the inside of a JSON string.</summary>
    internal static string Escape(string s) => JsonEncodedText.Encode(s, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
}
