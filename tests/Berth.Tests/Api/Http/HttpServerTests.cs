using System.Security.Cryptography;
using System.Text;
using Berth.Api.Http;

namespace Berth.Tests.Api.Http;

public sealed class HttpServerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task KeepAlive_ThreeRequestsOnOneConnection_AllAnsweredWithDefaultHeaders()
    {
        await using var t = await TestHttpServer.StartAsync(ctx => ctx.Response.WriteJsonAsync(
            new Dictionary<string, string> { ["path"] = ctx.Request.Path, ["q"] = ctx.Request.Query.Get("a") ?? "-" },
            TestJsonContext.Default.DictionaryStringString));
        using var c = await t.ConnectAsync();
        foreach (var i in new[] { 1, 2, 3 })
        {
            var r = await c.RequestAsync($"GET /v1.50/x%2Fy/{i}?a=b+c%21 HTTP/1.1\r\nHost: api.moby.localhost\r\n\r\n");
            Assert.Equal(200, r.Status);
            Assert.Equal($"{{\"path\":\"/v1.50/x/y/{i}\",\"q\":\"b c!\"}}\n", r.Text);
            Assert.Equal("application/json", r.Header("Content-Type"));
            Assert.Equal(r.Body.Length.ToString(), r.Header("Content-Length"));
            Assert.Equal("1.50", r.Header("Api-Version"));
            Assert.Equal("Docker/28.2.2 (linux)", r.Header("Server"));
            Assert.Equal("linux", r.Header("Ostype"));
            Assert.Equal("false", r.Header("Docker-Experimental"));
        }
    }

    [Fact]
    public async Task ChunkedRequestBody_IsDecodedAndConnectionStaysUsable()
    {
        await using var t = await TestHttpServer.StartAsync(async ctx =>
        {
            var ms = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(ms);
            await ctx.Response.WriteTextAsync($"{ms.Length}:{Convert.ToHexString(SHA256.HashData(ms.ToArray()))}", "text/plain", 200, default);
        });
        var payload = new byte[100_000];
        new Random(7).NextBytes(payload);
        var req = new MemoryStream();
        req.Write("POST /build HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/x-tar\r\n\r\n"u8);
        for (var off = 0; off < payload.Length; off += 30_000)
        {
            var n = Math.Min(30_000, payload.Length - off);
            req.Write(Encoding.ASCII.GetBytes($"{n:X};ext=1\r\n"));
            req.Write(payload, off, n);
            req.Write("\r\n"u8);
        }
        req.Write("0\r\nX-Trailer: y\r\n\r\n"u8);

        using var c = await t.ConnectAsync();
        await c.SendAsync(req.ToArray());
        var r = await c.ReadResponseAsync();
        Assert.Equal($"100000:{Convert.ToHexString(SHA256.HashData(payload))}", r.Text);

        var again = await c.RequestAsync("POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello");
        Assert.Equal("5:" + Convert.ToHexString(SHA256.HashData("hello"u8.ToArray())), again.Text);
    }

    [Fact]
    public async Task ExpectContinue_Sends100WhenHandlerReadsBody()
    {
        await using var t = await TestHttpServer.StartAsync(async ctx =>
            await ctx.Response.WriteTextAsync(await new StreamReader(ctx.Request.Body).ReadToEndAsync(), "text/plain", 200, default));
        using var c = await t.ConnectAsync();
        await c.SendAsync("PUT /containers/x/archive?path=/ HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        Assert.Equal(100, (await c.ReadHeadAsync()).Status);
        await c.SendAsync("data");
        Assert.Equal("data", (await c.ReadResponseAsync()).Text);
    }

    [Fact]
    public async Task UnreadRequestBody_IsDrainedBeforeNextRequest()
    {
        await using var t = await TestHttpServer.StartAsync(ctx => ctx.Response.WriteTextAsync(ctx.Request.Path, "text/plain", 200, default));
        using var c = await t.ConnectAsync();
        Assert.Equal("/a", (await c.RequestAsync("POST /a HTTP/1.1\r\nContent-Length: 11\r\n\r\nGET /evil\r\n")).Text);
        Assert.Equal("/b", (await c.RequestAsync("POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")).Text);
        Assert.Equal("/c", (await c.RequestAsync("GET /c HTTP/1.1\r\n\r\n")).Text);
    }

    [Fact]
    public async Task StreamingResponse_FirstChunkArrivesWhileHandlerStillWaits()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var t = await TestHttpServer.StartAsync(async ctx =>
        {
            ctx.Response.Headers.Set("Content-Type", "application/json");
            await ctx.Response.Body.WriteAsync("{\"status\":\"first\"}\n"u8.ToArray());
            await ctx.Response.FlushAsync(default);
            await release.Task.WaitAsync(Timeout);
            await ctx.Response.Body.WriteAsync("{\"StatusCode\":0}\n"u8.ToArray());
        });
        using var c = await t.ConnectAsync();
        await c.SendAsync("POST /containers/x/wait HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        var (status, headers, _) = await c.ReadHeadAsync();
        Assert.Equal(200, status);
        Assert.Contains(headers, h => h is { Key: "Transfer-Encoding", Value: "chunked" });
        Assert.Equal("{\"status\":\"first\"}\n", Encoding.UTF8.GetString(await c.ReadChunkAsync()));
        release.SetResult();
        Assert.Equal("{\"StatusCode\":0}\n", Encoding.UTF8.GetString(await c.ReadChunkAsync()));
        Assert.Empty(await c.ReadChunkAsync());
    }

    [Fact]
    public async Task BodyWrites_WithoutFlush_AreChunkedAndFirstWriteGoesOutAtOnce()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var t = await TestHttpServer.StartAsync(async ctx =>
        {
            await ctx.Response.Body.WriteAsync("{\"status\":\"Pulling\"}\r\n"u8.ToArray());
            await release.Task.WaitAsync(Timeout);
            await ctx.Response.Body.WriteAsync("{\"status\":\"Done\"}\r\n"u8.ToArray());
        });
        using var c = await t.ConnectAsync();
        await c.SendAsync("POST /images/create?fromImage=alpine HTTP/1.1\r\n\r\n");
        var (status, headers, _) = await c.ReadHeadAsync();
        Assert.Equal(200, status);
        Assert.Contains(headers, h => h is { Key: "Transfer-Encoding", Value: "chunked" });
        Assert.DoesNotContain(headers, h => h.Key == "Content-Length");
        Assert.Equal("{\"status\":\"Pulling\"}\r\n", Encoding.UTF8.GetString(await c.ReadChunkAsync()));
        release.SetResult();
        Assert.Equal("{\"status\":\"Done\"}\r\n", Encoding.UTF8.GetString(await c.ReadChunkAsync()));
        Assert.Empty(await c.ReadChunkAsync());
    }

    [Fact]
    public async Task FlushWithoutBody_SendsHeadersAtOnce()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var t = await TestHttpServer.StartAsync(async ctx =>
        {
            await ctx.Response.FlushAsync(default);
            await release.Task.WaitAsync(Timeout);
        });
        using var c = await t.ConnectAsync();
        await c.SendAsync("GET /events HTTP/1.1\r\n\r\n");
        var (status, _, _) = await c.ReadHeadAsync();
        Assert.Equal(200, status);
        release.SetResult();
        Assert.Empty(await c.ReadChunkAsync());
    }

    [Fact]
    public async Task Head_SendsHeadersOfGetButNoBody()
    {
        await using var t = await TestHttpServer.StartAsync(ctx => ctx.Request.Path == "/empty"
            ? Task.CompletedTask
            : ctx.Response.WriteJsonAsync(new Dictionary<string, string> { ["a"] = "b" }, TestJsonContext.Default.DictionaryStringString));
        using var c = await t.ConnectAsync();
        var head = await c.RequestAsync("HEAD /x HTTP/1.1\r\n\r\n", head: true);
        Assert.Equal(200, head.Status);
        Assert.Equal("10", head.Header("Content-Length"));
        Assert.Empty(head.Body);
        var emptyHead = await c.RequestAsync("HEAD /empty HTTP/1.1\r\n\r\n", head: true);
        Assert.Equal("0", emptyHead.Header("Content-Length"));
        // Had the server sent a body, it would be parsed as the next response here.
        var get = await c.RequestAsync("GET /x HTTP/1.1\r\n\r\n");
        Assert.Equal("{\"a\":\"b\"}\n", get.Text);
    }

    [Fact]
    public async Task ResponseWithoutBody_GetsContentLengthZero_ButNot204()
    {
        await using var t = await TestHttpServer.StartAsync(ctx =>
        {
            if (ctx.Request.Path == "/nc") ctx.Response.StatusCode = 204;
            return Task.CompletedTask;
        });
        using var c = await t.ConnectAsync();
        var ok = await c.RequestAsync("POST /start HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal("0", ok.Header("Content-Length"));
        var noContent = await c.RequestAsync("POST /nc HTTP/1.1\r\n\r\n");
        Assert.Equal(204, noContent.Status);
        Assert.Null(noContent.Header("Content-Length"));
        Assert.Null(noContent.Header("Transfer-Encoding"));
        Assert.Equal(200, (await c.RequestAsync("GET / HTTP/1.1\r\n\r\n")).Status);
    }

    [Fact]
    public async Task Upgrade_Exact101_BidirectionalBytes_HalfCloseKeepsWriting()
    {
        var serverSawEof = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var t = await TestHttpServer.StartAsync(async ctx =>
        {
            if (!ctx.Request.WantsUpgrade)
            {
                await ctx.Response.WriteTextAsync("plain", "text/plain", 200, default);
                return;
            }
            var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            using var s = await ctx.Response.UpgradeAsync("application/vnd.docker.raw-stream", default);
            var buf = new byte[64];
            var n = await s.ReadAsync(buf);
            await s.WriteAsync(Encoding.ASCII.GetBytes($"pong:{Encoding.ASCII.GetString(buf, 0, n)}:{body}"));
            var eof = await s.ReadAsync(buf) == 0;
            serverSawEof.SetResult(eof);
            await s.WriteAsync("after-eof"u8.ToArray());
            s.ShutdownWrite();
            // Still inside the handler: the client's EOF must come from ShutdownWrite, not from the server closing.
            await Task.Delay(200);
        });
        using var c = await t.ConnectAsync();
        // docker-py upgrades on a pooled connection that already carried a request.
        Assert.Equal("plain", (await c.RequestAsync("GET /_ping HTTP/1.1\r\n\r\n")).Text);
        await c.SendAsync("POST /v1.50/exec/abc/start HTTP/1.1\r\nHost: api.moby.localhost\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
            + "Content-Type: application/json\r\nContent-Length: 30\r\n\r\n{\"Detach\":false,\"Tty\":false}\r\n");
        const string expected = "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
            + "Api-Version: 1.50\r\nDocker-Experimental: false\r\nOstype: linux\r\nServer: Docker/28.2.2 (linux)\r\n\r\n";
        Assert.Equal(expected, Encoding.ASCII.GetString(await c.ReadExactAsync(expected.Length)));

        await c.SendAsync("ping");
        var reply = "pong:ping:{\"Detach\":false,\"Tty\":false}\r\n";
        Assert.Equal(reply, Encoding.ASCII.GetString(await c.ReadExactAsync(reply.Length)));
        c.ShutdownWrite();
        Assert.True(await serverSawEof.Task.WaitAsync(Timeout));
        Assert.Equal("after-eof", Encoding.ASCII.GetString(await c.ReadExactAsync(9)));
        Assert.True(await c.IsAtEofAsync());
    }

    [Fact]
    public async Task Upgrade_ClientSendsStdinRightAfterRequest_BytesReachHijackedStream()
    {
        await using var t = await TestHttpServer.StartAsync(async ctx =>
        {
            using var s = await ctx.Response.UpgradeAsync("application/vnd.docker.multiplexed-stream", default);
            var all = new MemoryStream();
            await s.CopyToAsync(all);   // until the client's half-close
            await s.WriteAsync(all.ToArray());
        });
        using var c = await t.ConnectAsync();
        await c.SendAsync("POST /containers/x/attach?stdin=1 HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nearly-stdin");
        c.ShutdownWrite();
        var (status, _, _) = await c.ReadHeadAsync();
        Assert.Equal(101, status);
        Assert.Equal("early-stdin", Encoding.ASCII.GetString(await c.ReadToEndAsync()));
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n", 400)]
    [InlineData("GET /x HTTP/1.1\r\nBad Header\r\n\r\n", 400)]
    [InlineData("GET /x HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 400)]
    [InlineData("GET /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400)]
    [InlineData("GET /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501)]
    [InlineData("GET /x HTTP/2.0\r\n\r\n", 505)]
    [InlineData("GET x HTTP/1.1\r\n\r\n", 400)]
    public async Task MalformedRequest_AnsweredAndClosed_ServerKeepsServing(string request, int status)
    {
        var handled = 0;
        await using var t = await TestHttpServer.StartAsync(ctx =>
        {
            Interlocked.Increment(ref handled);
            return Task.CompletedTask;
        });
        using (var bad = await t.ConnectAsync())
        {
            var r = await bad.RequestAsync(request);
            Assert.Equal(status, r.Status);
            Assert.Equal("application/json", r.Header("Content-Type"));
            Assert.StartsWith("{\"message\":", r.Text);
            Assert.True(await bad.IsAtEofAsync());
        }
        Assert.Equal(0, handled);
        using var good = await t.ConnectAsync();
        Assert.Equal(200, (await good.RequestAsync("GET / HTTP/1.1\r\n\r\n")).Status);
    }

    [Fact]
    public async Task OversizedHeadersAndRequestLine_Refused()
    {
        await using var t = await TestHttpServer.StartAsync(_ => Task.CompletedTask);
        using (var c = await t.ConnectAsync())
        {
            var sb = new StringBuilder("GET / HTTP/1.1\r\n");
            for (var i = 0; i < 1000; i++) sb.Append($"X-H{i}: {new string('a', 100)}\r\n");
            Assert.Equal(431, (await c.RequestAsync(sb.Append("\r\n").ToString())).Status);
        }
        using (var c = await t.ConnectAsync())
            Assert.Equal(414, (await c.RequestAsync($"GET /{new string('a', 10_000)} HTTP/1.1\r\n\r\n")).Status);
    }

    [Fact]
    public async Task HandlerThrows_BeforeStart_Gives500Json_AfterStart_ClosesConnection()
    {
        await using var t = await TestHttpServer.StartAsync(async ctx =>
        {
            if (ctx.Request.Path == "/late")
            {
                await ctx.Response.Body.WriteAsync("partial"u8.ToArray());
                await ctx.Response.FlushAsync(default);
            }
            else
            {
                ctx.Response.Headers.Set("X-Half", "set");
                ctx.Response.StatusCode = 201;
            }
            throw new InvalidOperationException("boom");
        });
        using (var c = await t.ConnectAsync())
        {
            var r = await c.RequestAsync("GET /early HTTP/1.1\r\n\r\n");
            Assert.Equal(500, r.Status);
            Assert.Equal("{\"message\":\"boom\"}\n", r.Text);
            Assert.Null(r.Header("X-Half"));
            Assert.Equal(500, (await c.RequestAsync("GET /early HTTP/1.1\r\n\r\n")).Status);   // still keep-alive
        }
        using (var c = await t.ConnectAsync())
        {
            await c.SendAsync("GET /late HTTP/1.1\r\n\r\n");
            Assert.Equal(200, (await c.ReadHeadAsync()).Status);
            Assert.Equal("partial", Encoding.ASCII.GetString(await c.ReadChunkAsync()));
            Assert.True(await c.IsAtEofAsync());   // no terminating chunk: the client sees a broken stream
        }
        Assert.Contains(t.Log, l => l.Contains("boom", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientGoesAway_AbortedFires_AndWritesFail()
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writeFailed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var t = await TestHttpServer.StartAsync(async ctx =>
        {
            await ctx.Response.FlushAsync(default);
            try
            {
                await Task.Delay(Timeout, ctx.Aborted);
            }
            catch (OperationCanceledException)
            {
                aborted.SetResult();
            }
            try
            {
                for (var i = 0; i < 1000; i++)
                {
                    await ctx.Response.Body.WriteAsync(new byte[16 * 1024]);
                    await ctx.Response.FlushAsync(default);
                }
            }
            catch (Exception e)
            {
                writeFailed.SetResult(e);
                throw;
            }
        });
        using (var c = await t.ConnectAsync())
        {
            await c.SendAsync("POST /containers/x/wait HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}");
            Assert.Equal(200, (await c.ReadHeadAsync()).Status);
        }
        await aborted.Task.WaitAsync(Timeout);
        Assert.IsType<IOException>(await writeFailed.Task.WaitAsync(Timeout));
    }

    [Fact]
    public async Task ListenUnix_RemovesStaleSocket_RefusesLiveOne_DisposeRemovesFile()
    {
        await using var t = await TestHttpServer.StartAsync(_ => Task.CompletedTask);
        Assert.Equal((UnixFileMode)0b110_110_000, File.GetUnixFileMode(t.SocketPath));
        await using (var second = new HttpServer(_ => Task.CompletedTask))
            Assert.Throws<IOException>(() => second.ListenUnix(t.SocketPath));

        var stale = Path.Combine(t.Dir, "stale.sock");
        using (var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, 0))
            s.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(stale));   // bound, never listening: a dead daemon's leftover
        var server = new HttpServer(ctx => ctx.Response.WriteTextAsync("ok", "text/plain", 200, default));
        server.ListenUnix(stale, (UnixFileMode)0b110_000_000);
        await server.StartAsync(CancellationToken.None);
        using (var c = await RawHttpClient.ConnectAsync(stale))
            Assert.Equal("ok", (await c.RequestAsync("GET / HTTP/1.1\r\n\r\n")).Text);
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(stale));
        await server.DisposeAsync();
        Assert.False(File.Exists(stale));
    }

    [Fact]
    public async Task Dispose_ClosesIdleAndBusyConnections()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var t = await TestHttpServer.StartAsync(async ctx =>
        {
            await ctx.Response.FlushAsync(default);
            started.SetResult();
            await Task.Delay(Timeout, ctx.Aborted);
        });
        using var busy = await t.ConnectAsync();
        await busy.SendAsync("GET /events HTTP/1.1\r\n\r\n");
        await busy.ReadHeadAsync();
        await started.Task.WaitAsync(Timeout);
        using var idle = await t.ConnectAsync();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await t.DisposeAsync();
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(4), $"dispose took {sw.Elapsed}");
        Assert.True(await idle.IsAtEofAsync());
    }
}
