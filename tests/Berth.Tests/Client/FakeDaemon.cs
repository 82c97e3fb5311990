using System.Net.Sockets;
using System.Text;

namespace Berth.Tests.Client;

/// <summary>A unix-socket server that parses each request head (and a Content-Length body) and lets the test write
/// the raw answer, one request per connection. Enough to exercise the client's HTTP, streaming and hijack paths.</summary>
internal sealed class FakeDaemon : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<FakeRequest, NetworkStream, Socket, Task> _handler;
    private readonly CancellationTokenSource _cts = new();
    private readonly Task _loop;
    private readonly string _dir;

    public FakeDaemon(Func<FakeRequest, NetworkStream, Socket, Task> handler)
    {
        _handler = handler;
        _dir = Directory.CreateTempSubdirectory("berth-fake-").FullName;
        SocketPath = Path.Combine(_dir, "d.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(16);
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string SocketPath { get; }

    public List<FakeRequest> Requests { get; } = [];

    public static byte[] Response(int status, string reason, string contentType, string body, string extraHeaders = "") =>
        Encoding.UTF8.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n" +
                               $"Connection: close\r\n{extraHeaders}\r\n{body}");

    private async Task AcceptLoopAsync()
    {
        while (!_cts.IsCancellationRequested)
        {
            Socket conn;
            try
            {
                conn = await _listener.AcceptAsync(_cts.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                using (conn)
                await using (var stream = new NetworkStream(conn, ownsSocket: false))
                {
                    var req = await ReadRequestAsync(stream);
                    lock (Requests) Requests.Add(req);
                    await _handler(req, stream, conn);
                }
            });
        }
    }

    private static async Task<FakeRequest> ReadRequestAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0) break;
            head.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var parts = lines[0].Split(' ');
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = Array.Empty<byte>();
        if (headers.TryGetValue("Content-Length", out var cl) && int.Parse(cl) > 0)
        {
            body = new byte[int.Parse(cl)];
            await stream.ReadExactlyAsync(body);
        }
        return new FakeRequest(parts[0], parts[1], headers, body);
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        _listener.Dispose();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (OperationCanceledException)
        {
        }
        Directory.Delete(_dir, recursive: true);
        _cts.Dispose();
    }
}

internal sealed record FakeRequest(string Method, string Target, Dictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}
