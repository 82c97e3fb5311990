using System.Net.Sockets;

namespace Berth.Integration.Tests.Support;

/// <summary>An HttpClient that speaks to a daemon's unix socket (base address http://localhost).</summary>
public static class UnixSocketHttp
{
    public static HttpClient Create(string socketPath, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://localhost"), Timeout = timeout };
    }
}
