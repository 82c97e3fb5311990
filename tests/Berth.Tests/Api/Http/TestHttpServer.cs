using Berth.Api.Http;

namespace Berth.Tests.Api.Http;

/// <summary>An <see cref="HttpServer"/> on a unix socket in a fresh temp dir, removed on dispose.</summary>
internal sealed class TestHttpServer : IAsyncDisposable
{
    private TestHttpServer(HttpServer server, string dir)
    {
        Server = server;
        Dir = dir;
    }

    public HttpServer Server { get; }
    public string Dir { get; }
    public string SocketPath => Path.Combine(Dir, "api.sock");
    public List<string> Log { get; } = [];

    public static async Task<TestHttpServer> StartAsync(RequestHandler handler)
    {
        // Short path: sun_path holds 108 bytes.
        var dir = Path.Combine(Path.GetTempPath(), "bh-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        TestHttpServer? t = null;
        var server = new HttpServer(handler, m => { lock (t!.Log) t.Log.Add(m); });
        t = new TestHttpServer(server, dir);
        server.ListenUnix(t.SocketPath);
        await server.StartAsync(CancellationToken.None);
        return t;
    }

    public Task<RawHttpClient> ConnectAsync() => RawHttpClient.ConnectAsync(SocketPath);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Dir, recursive: true);
    }
}
