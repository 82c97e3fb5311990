using System.Net;
using System.Text;
using Berth.Api.Models.Containers;
using Berth.Client;

namespace Berth.Tests.Client;

public sealed class BerthClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ListContainersAsync_SendsVersionedQuery_ParsesBody()
    {
        await using var daemon = new FakeDaemon(async (req, s, _) =>
            await s.WriteAsync(FakeDaemon.Response(200, "OK", "application/json", """[{"Id":"abc","Names":["/web"],"State":"running","Created":5}]""")));
        using var client = new BerthClient(daemon.SocketPath);

        var list = await client.ListContainersAsync(all: true, limit: null, size: false, filtersJson: null, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal("abc", Assert.Single(list).Id);
        Assert.Equal("/web", list[0].Names[0]);
        Assert.Equal("/v1.50/containers/json?all=1", daemon.Requests.Single().Target);
    }

    [Theory]
    [InlineData("application/json", """{"message":"No such container: nope"}""", "No such container: nope")]
    [InlineData("text/plain", "page not found", "page not found")]
    [InlineData("application/json; charset=utf-8", """{"message":"x"}""", "x")]
    public async Task SendAsync_ErrorStatus_ThrowsWithDaemonMessage(string contentType, string body, string expected)
    {
        await using var daemon = new FakeDaemon(async (req, s, _) => await s.WriteAsync(FakeDaemon.Response(404, "Not Found", contentType, body)));
        using var client = new BerthClient(daemon.SocketPath);

        var ex = await Assert.ThrowsAsync<DockerApiException>(() => client.KillContainerAsync("nope", null, CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public async Task StartContainerAsync_NotModified_ReturnsFalse()
    {
        await using var daemon = new FakeDaemon(async (req, s, _) =>
            await s.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n")));
        using var client = new BerthClient(daemon.SocketPath);

        Assert.False(await client.StartContainerAsync("web", CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task CreateContainerAsync_PostsJsonBodyAndName()
    {
        await using var daemon = new FakeDaemon(async (req, s, _) =>
            await s.WriteAsync(FakeDaemon.Response(201, "Created", "application/json", """{"Id":"0123","Warnings":[]}""")));
        using var client = new BerthClient(daemon.SocketPath);

        var created = await client.CreateContainerAsync(new ContainerCreateRequest { Image = "busybox", Cmd = ["echo", "hi"] }, "web", null, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal("0123", created.Id);
        var req = daemon.Requests.Single();
        Assert.Equal("/v1.50/containers/create?name=web", req.Target);
        Assert.Contains("\"Cmd\":[\"echo\",\"hi\"]", req.BodyText, StringComparison.Ordinal);
        Assert.Equal("application/json", req.Headers["Content-Type"]);
    }

    [Fact]
    public async Task WaitContainerAsync_ReturnsAfterHeaders_BeforeBody()
    {
        var release = new TaskCompletionSource();
        await using var daemon = new FakeDaemon(async (req, s, _) =>
        {
            await s.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
            await s.FlushAsync();
            await release.Task;
            var body = """{"StatusCode":3}""" + "\n";
            await s.WriteAsync(Encoding.ASCII.GetBytes($"{body.Length:x}\r\n{body}\r\n0\r\n\r\n"));
        });
        using var client = new BerthClient(daemon.SocketPath);

        var wait = await client.WaitContainerAsync("web", "next-exit", CancellationToken.None).WaitAsync(Timeout);
        Assert.False(wait.IsCompleted);
        release.SetResult();

        Assert.Equal(3, (await wait.WaitAsync(Timeout)).StatusCode);
        Assert.Equal("/v1.50/containers/web/wait?condition=next-exit", daemon.Requests.Single().Target);
    }

    [Fact]
    public async Task AttachContainerAsync_Upgrades_DemuxesFrames_AndHalfClosesStdin()
    {
        var sawEof = new TaskCompletionSource<string>();
        await using var daemon = new FakeDaemon(async (req, s, sock) =>
        {
            await s.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"));
            // The stdin the client sends, up to its half-close.
            var ms = new MemoryStream();
            await s.CopyToAsync(ms);
            sawEof.SetResult(Encoding.UTF8.GetString(ms.ToArray()));
            // Output written after the client's shutdown(SHUT_WR) must still arrive.
            await s.WriteAsync(Frame(1, "out:" + Encoding.UTF8.GetString(ms.ToArray())));
            await s.WriteAsync(Frame(2, "err\n"));
            sock.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        });
        using var client = new BerthClient(daemon.SocketPath);

        await using var conn = await client.AttachContainerAsync("web", stdin: true, stdout: true, stderr: true, logs: false, null, CancellationToken.None).WaitAsync(Timeout);
        await conn.Stream.WriteAsync("hello\n"u8.ToArray());
        conn.CloseWrite();
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        await StdCopy.CopyAsync(conn.Stream, stdout, stderr, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal("hello\n", await sawEof.Task.WaitAsync(Timeout));
        Assert.Equal("out:hello\n", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal("err\n", Encoding.UTF8.GetString(stderr.ToArray()));
        Assert.Equal("application/vnd.docker.multiplexed-stream", conn.ContentType);
        var req = daemon.Requests.Single();
        Assert.Equal("/v1.50/containers/web/attach?stream=1&stdin=1&stdout=1&stderr=1", req.Target);
        Assert.Equal("Upgrade", req.Headers["Connection"]);
        Assert.Equal("tcp", req.Headers["Upgrade"]);
    }

    [Fact]
    public async Task HijackAsync_PayloadInSameReadAsHeaders_IsNotLost()
    {
        await using var daemon = new FakeDaemon(async (req, s, sock) =>
        {
            byte[] all = [.. Encoding.ASCII.GetBytes("HTTP/1.1 101 UPGRADED\r\nUpgrade: tcp\r\n\r\n"), .. Encoding.ASCII.GetBytes("raw tty bytes")];
            await s.WriteAsync(all);
            sock.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        });
        using var client = new BerthClient(daemon.SocketPath);

        await using var conn = await client.StartExecAttachedAsync("e1", new Berth.Api.Models.Exec.ExecStartConfig { Tty = true }, CancellationToken.None).WaitAsync(Timeout);
        var text = await new StreamReader(conn.Stream).ReadToEndAsync().WaitAsync(Timeout);

        Assert.Equal("raw tty bytes", text);
        Assert.Contains("\"Tty\":true", daemon.Requests.Single().BodyText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(404, "application/json", """{"message":"No such container: x"}""", "No such container: x")]
    [InlineData(200, "application/vnd.docker.raw-stream", "", "unable to upgrade to tcp, received 200")]
    public async Task HijackAsync_NoUpgrade_Throws(int status, string contentType, string body, string expected)
    {
        await using var daemon = new FakeDaemon(async (req, s, _) => await s.WriteAsync(FakeDaemon.Response(status, "X", contentType, body)));
        using var client = new BerthClient(daemon.SocketPath);

        var ex = await Assert.ThrowsAsync<DockerApiException>(() => client.AttachContainerAsync("x", false, true, true, false, null, CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public async Task ReadJsonLinesAsync_StreamsEachObject()
    {
        var input = new MemoryStream(Encoding.UTF8.GetBytes("{\"status\":\"a\"}\r\n\n{\"status\":\"b\"}\n"));
        var statuses = new List<string>();
        await foreach (var node in BerthClient.ReadJsonLinesAsync(input, CancellationToken.None)) statuses.Add(node["status"]!.GetValue<string>());
        Assert.Equal(["a", "b"], statuses);
    }

    [Fact]
    public async Task Client_NoDaemon_ThrowsDaemonUnavailable()
    {
        using var client = new BerthClient(Path.Combine(Path.GetTempPath(), $"berth-none-{Guid.NewGuid():N}.sock"));
        await Assert.ThrowsAsync<DaemonUnavailableException>(() => client.VersionAsync(CancellationToken.None).WaitAsync(Timeout));
    }

    internal static byte[] Frame(byte stream, string payload)
    {
        var data = Encoding.UTF8.GetBytes(payload);
        var header = new byte[8];
        header[0] = stream;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)data.Length);
        return [.. header, .. data];
    }
}
