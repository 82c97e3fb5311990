using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Berth.Api.Http;

/// <summary>
/// The byte pipe under one connection: the socket itself, or a TLS session over it. Every failure surfaces as
/// <see cref="IOException"/> so the connection code has one error path for both. At most one read and one write are
/// outstanding at a time (the connection serializes them), which is what <see cref="SslStream"/> allows.
/// </summary>
internal sealed class ConnectionTransport : IDisposable
{
    // A client that connects and never finishes its handshake must not pin a connection forever.
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly SslServerAuthenticationOptions? _tls;
    private readonly SslStream? _ssl;

    public ConnectionTransport(Socket socket, SslServerAuthenticationOptions? tls)
    {
        _socket = socket;
        _tls = tls;
        if (tls is not null) _ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
    }

    public bool IsTls => _ssl is not null;

    /// <summary>Runs the TLS handshake (client certificate checked by the options' callback); nothing for plain sockets.</summary>
    public async ValueTask HandshakeAsync(CancellationToken ct)
    {
        if (_ssl is null) return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(HandshakeTimeout);
        try
        {
            await _ssl.AuthenticateAsServerAsync(_tls!, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            throw new IOException("TLS handshake failed: " + e.Message, e);
        }
    }

    public async ValueTask<int> ReceiveAsync(Memory<byte> dest, CancellationToken ct)
    {
        try
        {
            if (_ssl is not null) return await _ssl.ReadAsync(dest, ct).ConfigureAwait(false);
            return await _socket.ReceiveAsync(dest, SocketFlags.None, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            throw new IOException("connection closed: " + e.Message, e);
        }
    }

    public int Receive(Span<byte> dest)
    {
        try
        {
            return _ssl is not null ? _ssl.Read(dest) : _socket.Receive(dest);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            throw new IOException("connection closed: " + e.Message, e);
        }
    }

    /// <summary>Sends all of <paramref name="data"/>. Cancellation surfaces as <see cref="OperationCanceledException"/>.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        try
        {
            if (_ssl is not null)
            {
                await _ssl.WriteAsync(data, ct).ConfigureAwait(false);
                return;
            }
            while (!data.IsEmpty)
            {
                var n = await _socket.SendAsync(data, SocketFlags.None, ct).ConfigureAwait(false);
                data = data[n..];
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            throw new IOException("connection closed: " + e.Message, e);
        }
    }

    public void Send(ReadOnlySpan<byte> data)
    {
        try
        {
            if (_ssl is not null)
            {
                _ssl.Write(data);
                return;
            }
            while (!data.IsEmpty) data = data[_socket.Send(data)..];
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            throw new IOException("connection closed: " + e.Message, e);
        }
    }

    /// <summary>
    /// Half-closes our side: a TLS close_notify first (Go's client reads it as EOF), then shutdown(SHUT_WR). Never throws.
    /// </summary>
    public void ShutdownSend()
    {
        try
        {
            // A session whose handshake failed has nothing to close: SslStream.ShutdownAsync would throw the
            // handshake's AuthenticationException again, synchronously.
            if (_ssl is { IsAuthenticated: true } && _socket.Connected) _ssl.ShutdownAsync().Wait(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is AggregateException or IOException or ObjectDisposedException or InvalidOperationException
                                      or NotSupportedException or AuthenticationException)
        {
            // The session is already broken: the shutdown below still tells the client we are done.
        }
        try
        {
            if (_socket.Connected) _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _ssl?.Dispose();
    }
}
