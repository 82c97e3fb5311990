using System.Net.Sockets;

namespace Berth.Runtime.Monitor;

/// <summary>
/// The monitor's attach socket (SOCK_SEQPACKET, conmon's protocol). Each packet from the monitor is one byte naming the pipe
/// (2 = stdout, 3 = stderr) followed by the data; what we send goes to the container's stdin as is. A zero-length read
/// means the monitor closed us (exit).
/// </summary>
internal sealed class AttachConnection(Socket socket) : IAttachConnection
{
    // The monitor reads at most 32 KiB per packet from us (as conmon did); bigger packets would be truncated.
    private const int MaxStdinPacket = 32 * 1024 - 1;
    private readonly byte[] _buffer = new byte[64 * 1024];

    internal static async Task<AttachConnection> ConnectAsync(string path, CancellationToken ct)
    {
        var s = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        // sun_path holds 107 bytes and data roots can be deep: connect through /proc/self/fd/<dir>/<name>, which
        // the kernel resolves like the real path whatever its length.
        var dirFd = Interop.Libc.Open(Path.GetDirectoryName(path)!, Interop.Libc.O_PATH | Interop.Libc.O_DIRECTORY | Interop.Libc.O_CLOEXEC, 0);
        try
        {
            var target = dirFd >= 0 ? $"/proc/self/fd/{dirFd}/{Path.GetFileName(path)}" : path;
            await s.ConnectAsync(new UnixDomainSocketEndPoint(target), ct);
            return new AttachConnection(s);
        }
        catch
        {
            s.Dispose();
            throw;
        }
        finally
        {
            if (dirFd >= 0) Interop.Libc.Close(dirFd);
        }
    }

    public async ValueTask<AttachFrame?> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            int n;
            try { n = await socket.ReceiveAsync(_buffer, SocketFlags.None, ct); }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown) { return null; }
            if (n == 0) return null;
            if (n == 1) continue;
            var stream = _buffer[0] == 3 ? 2 : 1;
            return new AttachFrame(stream, _buffer.AsMemory(1, n - 1));
        }
    }

    public async ValueTask WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (data.Length > 0)
        {
            var chunk = data[..Math.Min(data.Length, MaxStdinPacket)];
            await socket.SendAsync(chunk, SocketFlags.None, ct);
            data = data[chunk.Length..];
        }
    }

    public ValueTask CloseStdinAsync()
    {
        try { socket.Shutdown(SocketShutdown.Send); }
        catch (SocketException) { } // already gone: the container exited, stdin is closed anyway
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
