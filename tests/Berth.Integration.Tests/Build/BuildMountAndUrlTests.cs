using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Build;

/// <summary>Beyond the classic builder: RUN --mount=type=cache|tmpfs, ADD from a URL (served on loopback) with --checksum, POST /build/prune.</summary>
[Collection(DaemonCollection.Name)]
public sealed class BuildMountAndUrlTests(DaemonFixture daemon)
{
    [RootFact]
    public async Task Build_RunMountCache_PersistsAcrossBuildsAndStaysOutOfImage()
    {
        await using var ctx = new BuildContext(daemon, "mount");
        var id = Guid.NewGuid().ToString("N");
        ctx.File("Dockerfile", $"FROM busybox\nRUN --mount=type=cache,id={id},target=/cache echo run >> /cache/log && echo \"count=$(wc -l < /cache/log)\"\n" +
                               "RUN --mount=type=tmpfs,target=/scratch touch /scratch/x && ls /scratch\n");
        var tag = ctx.Tag("m");
        var first = (await ctx.DockerBuildAsync("--no-cache", "-t", tag)).Ok("first");
        Assert.Contains("count=1\n", first.Stdout, StringComparison.Ordinal);
        var second = (await ctx.DockerBuildAsync("--no-cache", "-t", tag)).Ok("second");
        Assert.Contains("count=2\n", second.Stdout, StringComparison.Ordinal);
        // Neither the cache's content nor the mount points themselves are in the image (BuildKit removes the stubs too).
        var ls = (await daemon.RunDockerAsync(["run", "--rm", tag, "sh", "-c", "ls -d /cache /scratch 2>&1; true"])).Ok("ls").Stdout;
        Assert.Equal("ls: /cache: No such file or directory\nls: /scratch: No such file or directory\n", ls);
    }

    [RootFact]
    public async Task Build_AddUrl_DownloadsWithoutUnpacking()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var server = ServeAsync(listener, "remote content\n", cts.Token);
        await using var ctx = new BuildContext(daemon, "url");
        ctx.File("Dockerfile", $"FROM busybox\nADD http://127.0.0.1:{port}/files/remote.txt /data/\nCMD [\"cat\", \"/data/remote.txt\"]\n");
        var tag = ctx.Tag("u");
        (await ctx.DockerBuildAsync("-t", tag)).Ok("build");
        Assert.Equal("remote content\n", (await daemon.RunDockerAsync(["run", "--rm", tag])).Ok("run").Stdout);
        var mode = (await daemon.RunDockerAsync(["run", "--rm", tag, "stat", "-c", "%a", "/data/remote.txt"])).Ok("stat").Stdout;
        Assert.Equal("600\n", mode);
        await cts.CancelAsync();
        try { await server; }
        catch (OperationCanceledException) { }
    }

    [RootFact]
    public async Task Build_AddUrlChecksum_VerifiesContentDigest()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        const string body = "checked content\n";
        var server = ServeAsync(listener, body, cts.Token);
        var digest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        var wrong = "sha256:" + new string('0', 64);
        await using var ctx = new BuildContext(daemon, "sum");
        var url = $"http://127.0.0.1:{port}/c.txt";
        ctx.File("Dockerfile", $"FROM busybox\nADD --checksum={digest} {url} /c.txt\n");
        var tag = ctx.Tag("ok");
        (await ctx.DockerBuildAsync("-t", tag)).Ok("build with the right checksum");
        Assert.Equal(body, (await daemon.RunDockerAsync(["run", "--rm", tag, "cat", "/c.txt"])).Ok("cat").Stdout);

        ctx.File("Dockerfile", $"FROM busybox\nADD --checksum={wrong} {url} /c.txt\n");
        var bad = await ctx.DockerBuildAsync("-t", ctx.Tag("bad"));
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains($"digest mismatch {digest}: {wrong}", bad.Stderr + bad.Stdout, StringComparison.Ordinal);
        await cts.CancelAsync();
        try { await server; }
        catch (OperationCanceledException) { }
    }

    [RootFact]
    public async Task BuilderPrune_ClearsStepCache()
    {
        await using var ctx = new BuildContext(daemon, "prune");
        ctx.File("Dockerfile", $"FROM busybox\nRUN echo {Guid.NewGuid():N} > /x\n");
        var tag = ctx.Tag("p");
        (await ctx.DockerBuildAsync("-t", tag)).Ok("first");
        var cached = (await ctx.DockerBuildAsync("-t", tag)).Ok("cached");
        Assert.True(BuildContext.Steps(cached.Stdout)[1].Cached, cached.Stdout);

        var env = new Dictionary<string, string?>(daemon.ClientEnvironment) { ["DOCKER_BUILDKIT"] = "0" };
        var prune = (await ProcessRunner.RunAsync(DaemonFixture.DockerCliPath, ["builder", "prune", "-f"], env, null, TimeSpan.FromSeconds(30))).Ok("builder prune");
        Assert.Contains("Total", prune.Stdout, StringComparison.Ordinal);
        var after = (await ctx.DockerBuildAsync("-t", tag)).Ok("after prune");
        Assert.False(BuildContext.Steps(after.Stdout)[1].Cached, after.Stdout);
    }

    private static async Task ServeAsync(TcpListener listener, string body, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            using var client = await listener.AcceptTcpClientAsync(ct);
            await using var stream = client.GetStream();
            var buffer = new byte[4096];
            var request = new StringBuilder();
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var n = await stream.ReadAsync(buffer, ct);
                if (n == 0) break;
                request.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
            var payload = Encoding.UTF8.GetBytes(body);
            var head = $"HTTP/1.1 200 OK\r\nContent-Length: {payload.Length}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
            await stream.WriteAsync(payload, ct);
        }
    }
}
