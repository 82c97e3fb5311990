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
    private readonly Stream _transport;

    internal HijackedConnection(Socket socket, Stream transport, Stream stream, string? contentType)
    {
        _socket = socket;
        _transport = transport;
        Stream = stream;
        ContentType = contentType;
    }

    public Stream Stream { get; }

    /// <summary>The 101's Content-Type: <c>application/vnd.docker.multiplexed-stream</c> or <c>…raw-stream</c> (advisory).</summary>
    public string? ContentType { get; }

    /// <summary>shutdown(SHUT_WR): tells the daemon stdin is finished while output keeps flowing (over TLS a
    /// close_notify goes first, so the daemon reads a clean end of stream).</summary>
    public void CloseWrite()
    {
        if (_transport is System.Net.Security.SslStream ssl)
        {
            try
            {
                ssl.ShutdownAsync().Wait(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is AggregateException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The session is gone; the socket shutdown below is all that is left to say.
            }
        }
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
        _transport.Dispose();
        _socket.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
