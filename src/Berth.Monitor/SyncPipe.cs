using System.Text;
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

    internal static string Escape(string s)
    {
        var sb = new StringBuilder(s.Length + 8);
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }
}
