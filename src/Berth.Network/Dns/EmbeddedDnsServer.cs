using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Berth.Network.Bridge;

namespace Berth.Network.Dns;

/// <summary>
/// The DNS server a container sees at 127.0.0.11:53 (UDP and TCP). Its sockets are opened inside the container's
/// namespace (see <see cref="NetnsConfigurator"/>) and served from the daemon; they close with <see cref="DisposeAsync"/>
/// or when the daemon dies, and a restarted daemon opens them again.
/// </summary>
public sealed class EmbeddedDnsServer : IAsyncDisposable
{
    public static readonly IPEndPoint Address = new(IPAddress.Parse("127.0.0.11"), 53);
    private readonly Socket _udp;
    private readonly Socket _tcp;
    private readonly string _containerId;
    private readonly DnsResponder _responder;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;

    private EmbeddedDnsServer(Socket udp, Socket tcp, string containerId, DnsResponder responder)
    {
        _udp = udp; _tcp = tcp; _containerId = containerId; _responder = responder;
        _udpLoop = Task.Run(() => UdpLoopAsync(_stop.Token));
        _tcpLoop = Task.Run(() => TcpLoopAsync(_stop.Token));
    }

    /// <summary>Opens the sockets; must be called on a thread inside the container's namespace, with lo up.</summary>
    public static (Socket Udp, Socket Tcp) OpenSockets()
    {
        var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            udp.Bind(Address);
            tcp.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            tcp.Bind(Address);
            tcp.Listen(64);
            return (udp, tcp);
        }
        catch
        {
            udp.Dispose();
            tcp.Dispose();
            throw;
        }
    }

    public static EmbeddedDnsServer Serve((Socket Udp, Socket Tcp) sockets, string containerId, DnsResponder responder) =>
        new(sockets.Udp, sockets.Tcp, containerId, responder);

    private async Task UdpLoopAsync(CancellationToken ct)
    {
        var buf = new byte[65535];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try { r = await _udp.ReceiveFromAsync(buf, SocketFlags.None, any, ct); }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException) { return; }
            catch (SocketException) { continue; } // e.g. ECONNREFUSED echoed from an earlier reply: keep serving
            var query = buf[..r.ReceivedBytes];
            var client = r.RemoteEndPoint;
            // Names of our own are answered inline, so replies leave in the order the queries came (a resolver that
            // sends A and AAAA together gets them in that order); only forwarded queries wait on their own task.
            var pending = _responder.RespondAsync(_containerId, query, ct);
            if (pending.IsCompletedSuccessfully) await SendQuietlyAsync(pending.Result, client, ct);
            else _ = SendLaterAsync(pending, client, ct);
        }
    }

    private async Task SendLaterAsync(Task<byte[]> pending, EndPoint client, CancellationToken ct)
    {
        byte[] answer;
        try { answer = await pending; }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
        await SendQuietlyAsync(answer, client, ct);
    }

    private async Task SendQuietlyAsync(byte[] answer, EndPoint client, CancellationToken ct)
    {
        try
        {
            if (answer.Length > 0) await _udp.SendToAsync(answer, SocketFlags.None, client, ct);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException) { }
    }

    private async Task TcpLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try { client = await _tcp.AcceptAsync(ct); }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException) { return; }
            catch (SocketException) { continue; }
            _ = Task.Run(() => ServeTcpAsync(client, ct), ct);
        }
    }

    private async Task ServeTcpAsync(Socket client, CancellationToken ct)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await using var stream = new NetworkStream(client, ownsSocket: false);
        var len = new byte[2];
        try
        {
            while (true)
            {
                await stream.ReadExactlyAsync(len, timeout.Token);
                var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(len)];
                await stream.ReadExactlyAsync(query, timeout.Token);
                var answer = await _responder.RespondAsync(_containerId, query, timeout.Token);
                var framed = new byte[answer.Length + 2];
                BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)answer.Length);
                answer.CopyTo(framed, 2);
                await stream.WriteAsync(framed, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or OperationCanceledException or SocketException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _tcp.Dispose();
        try { await Task.WhenAll(_udpLoop, _tcpLoop); }
        catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
