using System.Buffers.Binary;
using System.Diagnostics;
using Berth.Api.Routing;

namespace Berth.Tests.Api.Http;

/// <summary>docker-py 7.x against our server: it hijacks exec start on a pooled keep-alive connection.</summary>
public sealed class DockerPyTests
{
    private const string Script = """
        import sys, docker
        c = docker.APIClient(base_url="unix://" + sys.argv[1], version="1.50", timeout=10)
        assert c.ping() is True
        e = c.exec_create("web", ["echo", "hi"])
        out = c.exec_start(e["Id"])
        code = c.exec_inspect(e["Id"])["ExitCode"]
        sys.stdout.write(out.decode() + "|" + str(code))
        """;

    [Fact]
    public async Task ExecStart_HijackedOnPooledConnection_OutputAndExitCode()
    {
        if (!File.Exists("/usr/bin/python3")) return;
        var router = new Router();
        router.Map("GET", "/_ping", (ctx, _) => ctx.Response.WriteTextAsync("OK", "text/plain; charset=utf-8", 200, default));
        router.Map("POST", "/containers/{id}/exec", async (ctx, rv) =>
        {
            await ctx.Request.Body.CopyToAsync(Stream.Null);
            await ctx.Response.WriteTextAsync("{\"Id\":\"e1\"}", "application/json", 201, default);
        });
        router.Map("POST", "/exec/{id}/start", async (ctx, _) =>
        {
            Assert.True(ctx.Request.WantsUpgrade);
            using var s = await ctx.Response.UpgradeAsync("application/vnd.docker.multiplexed-stream", default);
            // docker-py reads the frames from the raw socket behind http.client's buffered reader: bytes that arrive with the
            // 101 headers land in that buffer and are never seen (the same with dockerd). A real exec's output comes after its
            // process starts; this stand-in waits as long, so the test is about our server, not about that client race.
            await Task.Delay(300);
            var frame = new byte[8 + 3];
            frame[0] = 1;
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), 3);
            "hi\n"u8.CopyTo(frame.AsSpan(8));
            await s.WriteAsync(frame);
            s.ShutdownWrite();
        });
        router.Map("GET", "/exec/{id}/json", (ctx, _) => ctx.Response.WriteTextAsync("{\"ExitCode\":7,\"Running\":false}", "application/json", 200, default));
        await using var t = await TestHttpServer.StartAsync(router.DispatchAsync);
        var script = Path.Combine(t.Dir, "exec.py");
        await File.WriteAllTextAsync(script, Script);

        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(t.SocketPath);
        psi.Environment["DOCKER_CONFIG"] = Path.Combine(t.Dir, "cfg");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw;
        }
        if ((await stderr).Contains("No module named 'docker'", StringComparison.Ordinal)) return;
        Assert.True(p.ExitCode == 0, $"python exited {p.ExitCode}: {await stderr}");
        Assert.Equal("hi\n|7", await stdout);
    }
}
