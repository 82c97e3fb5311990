using System.Text;
using Berth.Runtime.Interop;

namespace Berth.Monitor;

/// <summary>
/// The socket the runtime connects to (--console-socket) to hand over the container terminal's master side.
/// It lives in the temp directory: the runtime connects by path, and sun_path holds only 108 bytes.
/// </summary>
internal sealed class ConsoleSocket : IDisposable
{
    private readonly int _fd;

    private ConsoleSocket(int fd, string path)
    {
        _fd = fd;
        Path = path;
    }

    public string Path { get; }

    public static unsafe ConsoleSocket Listen()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"berth-console-{Environment.ProcessId}-{Guid.NewGuid():N}"[..48] + ".sock");
        var fd = Libc.Socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK, 0);
        if (fd < 0) throw new CreationFailedException("console socket: " + Libc.LastError());
        var bytes = Encoding.UTF8.GetBytes(path);
        var addr = stackalloc byte[110];
        new Span<byte>(addr, 110).Clear();
        *(ushort*)addr = Libc.AF_UNIX;
        bytes.CopyTo(new Span<byte>(addr + 2, 107));
        if (Libc.Bind(fd, addr, (uint)(2 + bytes.Length + 1)) != 0 || Libc.Listen(fd, 1) != 0)
        {
            var error = Libc.LastError();
            Libc.Close(fd);
            throw new CreationFailedException($"console socket {path}: {error}");
        }
        return new ConsoleSocket(fd, path);
    }

    /// <summary>The master the runtime sent (it has exited by now, so its connection is queued), or -1.</summary>
    public unsafe int TakeTerminal()
    {
        var conn = Libc.Accept4(_fd, null, null, Libc.SOCK_CLOEXEC);
        if (conn < 0) return -1;
        try { return Libc.ReceiveFd(conn); }
        catch (IOException) { return -1; }
        finally { Libc.Close(conn); }
    }

    public void Dispose()
    {
        Libc.Close(_fd);
        try { File.Delete(Path); }
        catch (IOException) { }
    }
}
