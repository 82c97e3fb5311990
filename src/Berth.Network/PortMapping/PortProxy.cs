using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Berth.Network.PortMapping;

/// <summary>
/// The userland proxy of one published port: it holds the host port (so a second publisher or another program gets
/// "address already in use") and relays what the NAT rules cannot reach, above all the host's own 127.0.0.1.
/// </summary>
public sealed class PortProxy : IAsyncDisposable
{
    private static readonly TimeSpan UdpIdle = TimeSpan.FromSeconds(60);
    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly ConcurrentDictionary<EndPoint, Socket> _udpClients = new();

    private PortProxy(Socket listener, IPEndPoint target, bool udp)
    {
        _listener = listener;
        _target = target;
        Protocol = udp ? "udp" : "tcp";
        HostEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _loop = Task.Run(() => udp ? UdpLoopAsync(_stop.Token) : TcpLoopAsync(_stop.Token));
    }

    public string Protocol { get; }
    public IPEndPoint HostEndPoint { get; }

    /// <summary>Binds <paramref name="hostIp"/>:<paramref name="hostPort"/> (0 = a free port the kernel picks) and starts relaying to the target.</summary>
    public static PortProxy Start(string protocol, IPAddress hostIp, int hostPort, IPEndPoint target)
    {
        var udp = protocol == "udp";
        if (!udp && protocol != "tcp") throw new ArgumentException($"unsupported protocol {protocol}", nameof(protocol));
        var socket = new Socket(hostIp.AddressFamily, udp ? SocketType.Dgram : SocketType.Stream, udp ? ProtocolType.Udp : ProtocolType.Tcp);
        try
        {
            // No SO_REUSEADDR: Docker's proxy refuses a port another program holds, and so do we.
            if (!udp) socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, false);
            socket.Bind(new IPEndPoint(hostIp, hostPort));
            if (!udp) socket.Listen(512);
            return new PortProxy(socket, target, udp);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task TcpLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptAsync(ct); }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException) { return; }
            catch (SocketException) { continue; }
            _ = Task.Run(() => RelayTcpAsync(client, ct), ct);
        }
    }

    private async Task RelayTcpAsync(Socket client, CancellationToken ct)
    {
        using var c = client;
        using var upstream = new Socket(_target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(10));
                await upstream.ConnectAsync(_target, connectTimeout.Token);
            }
            var a = PumpAsync(c, upstream, ct);
            var b = PumpAsync(upstream, c, ct);
            await Task.WhenAll(a, b);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException or IOException) { }
    }

    private static async Task PumpAsync(Socket from, Socket to, CancellationToken ct)
    {
        var buf = new byte[16384];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buf, SocketFlags.None, ct);
                if (n == 0) break;
                await to.SendAsync(buf.AsMemory(0, n), SocketFlags.None, ct);
            }
            to.Shutdown(SocketShutdown.Send); // pass the half-close on: "nc" and HTTP/1.0 clients rely on it
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            try { to.Shutdown(SocketShutdown.Both); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        }
    }

    private async Task UdpLoopAsync(CancellationToken ct)
    {
        var buf = new byte[65535];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try { r = await _listener.ReceiveFromAsync(buf, SocketFlags.None, any, ct); }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException) { return; }
            catch (SocketException) { continue; }
            var client = r.RemoteEndPoint;
            if (!_udpClients.TryGetValue(client, out var upstream))
            {
                upstream = new Socket(_target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                try { await upstream.ConnectAsync(_target, ct); }
                catch (SocketException) { upstream.Dispose(); continue; }
                _udpClients[client] = upstream;
                _ = Task.Run(() => UdpReplyLoopAsync(client, upstream, ct), ct);
            }
            try { await upstream.SendAsync(buf.AsMemory(0, r.ReceivedBytes), SocketFlags.None, ct); }
            catch (SocketException) { } // the container is not listening (yet): UDP drops, as it would without us
        }
    }

    private async Task UdpReplyLoopAsync(EndPoint client, Socket upstream, CancellationToken ct)
    {
        var buf = new byte[65535];
        try
        {
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                idle.CancelAfter(UdpIdle);
                int n;
                try { n = await upstream.ReceiveAsync(buf, SocketFlags.None, idle.Token); }
                catch (SocketException) { continue; } // ICMP port unreachable from the container: keep the flow
                await _listener.SendToAsync(buf.AsMemory(0, n), SocketFlags.None, client, ct);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException) { }
        finally
        {
            _udpClients.TryRemove(client, out _);
            upstream.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        foreach (var s in _udpClients.Values) s.Dispose();
        try { await _loop; }
        catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
