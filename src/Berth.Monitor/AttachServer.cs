using Berth.Runtime.Interop;

namespace Berth.Monitor;

/// <summary>
/// The attach socket, BUNDLE/attach (SOCK_SEQPACKET, conmon's protocol, which berthd speaks): every packet to a
/// client is one byte naming the stream (2 stdout, 3 stderr) and the data; what a client sends is the container's
/// stdin. A client that shuts down its sending side stays attached to the output.
/// </summary>
internal sealed class AttachServer : IDisposable
{
    public const int MaxPacket = 32 * 1024;
    private readonly string _path;
    private readonly List<AttachClient> _clients = [];
    private readonly byte[] _packet = new byte[MaxPacket];

    private AttachServer(int fd, string path)
    {
        ListenerFd = fd;
        _path = path;
    }

    public int ListenerFd { get; }

    public IReadOnlyList<AttachClient> Clients => _clients;

    public static AttachServer Listen(string bundle)
    {
        var path = Path.Combine(bundle, "attach");
        File.Delete(path);
        var fd = Libc.Socket(Libc.AF_UNIX, Libc.SOCK_SEQPACKET | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0 || Libc.BindInDirectory(fd, bundle, "attach") != 0 || Libc.Listen(fd, 10) != 0)
        {
            var error = Libc.LastError();
            if (fd >= 0) Libc.Close(fd);
            throw new CreationFailedException($"attach socket {path}: {error}");
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new AttachServer(fd, path);
    }

    /// <summary>Takes every connection waiting in the backlog.</summary>
    public unsafe void Accept()
    {
        int fd;
        while ((fd = Libc.Accept4(ListenerFd, null, null, Libc.SOCK_CLOEXEC)) >= 0) _clients.Add(new AttachClient(fd));
    }

    /// <summary>Sends output to every client; a client that cannot take it is dropped, not waited for twice.</summary>
    public unsafe void Broadcast(int stream, ReadOnlySpan<byte> data)
    {
        if (_clients.Count == 0) return;
        _packet[0] = (byte)(stream == 2 ? 3 : 2);
        while (data.Length > 0)
        {
            var chunk = data[..Math.Min(data.Length, MaxPacket - 1)];
            chunk.CopyTo(_packet.AsSpan(1));
            fixed (byte* p = _packet)
            {
                for (var i = _clients.Count - 1; i >= 0; i--)
                {
                    nint n;
                    do n = Libc.Send(_clients[i].Fd, p, chunk.Length + 1, Libc.MSG_NOSIGNAL);
                    while (n < 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Libc.EINTR);
                    if (n < 0) Drop(_clients[i]);
                }
            }
            data = data[chunk.Length..];
        }
    }

    /// <summary>Closes a client once: a send may drop it in the same round its read is handled.</summary>
    public void Drop(AttachClient client)
    {
        if (client.Closed) return;
        client.Closed = true;
        Libc.Close(client.Fd);
        _clients.Remove(client);
    }

    public void Dispose()
    {
        foreach (var c in _clients) Libc.Close(c.Fd);
        _clients.Clear();
        Libc.Close(ListenerFd);
        try { File.Delete(_path); }
        catch (IOException) { }
    }
}

/// <summary>One attached client; Sending is false once it shut down its side (no more stdin from it).</summary>
internal sealed class AttachClient(int fd)
{
    public int Fd { get; } = fd;

    public bool Sending { get; set; } = true;

    public bool Closed { get; set; }
}
