using System.Net.Sockets;

namespace Berth.Client;

/// <summary>
/// The raw connection after a <c>101 UPGRADED</c> answer to attach or exec start. Output is read from
/// <see cref="Stream"/> (multiplexed frames unless the container or exec has a TTY; use <see cref="StdCopy"/>); stdin is
/// written raw to it, then <see cref="CloseWrite"/> half-closes, as the docker CLI does once stdin is done (or at once
/// when stdin is not attached).
/// </summary>
public sealed class HijackedConnection : IAsyncDisposable, IDisposable
{
    private readonly Socket _socket;

    internal HijackedConnection(Socket socket, Stream stream, string? contentType)
    {
        _socket = socket;
        Stream = stream;
        ContentType = contentType;
    }

    public Stream Stream { get; }

    /// <summary>The 101's Content-Type: <c>application/vnd.docker.multiplexed-stream</c> or <c>…raw-stream</c> (advisory).</summary>
    public string? ContentType { get; }

    /// <summary>shutdown(SHUT_WR): tells the daemon stdin is finished while output keeps flowing.</summary>
    public void CloseWrite()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The daemon may already have closed the connection; there is nothing left to tell it.
        }
        catch (ObjectDisposedException)
        {
            // Disposed concurrently by the output side finishing first.
        }
    }

    public void Dispose()
    {
        Stream.Dispose();
        _socket.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
