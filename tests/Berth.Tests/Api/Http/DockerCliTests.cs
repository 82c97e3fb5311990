using System.Buffers.Binary;
using System.Diagnostics;
using Berth.Api.Routing;

namespace Berth.Tests.Api.Http;

/// <summary>The real docker CLI against our server: ping (HEAD then GET), version negotiation, /version.</summary>
public sealed class DockerCliTests
{
    private const string Docker = "/usr/local/bin/docker";

    private const string VersionJson = """
        {"Platform":{"Name":"Berth"},"Components":[{"Name":"Engine","Version":"28.2.2","Details":{"ApiVersion":"1.50","Arch":"amd64","BuildTime":"2025-05-30T12:07:14.000000000+00:00","Experimental":"false","GitCommit":"berth","GoVersion":"go1.24.3","KernelVersion":"6.1.0","MinAPIVersion":"1.24","Os":"linux"}}],"Version":"28.2.2","ApiVersion":"1.50","MinAPIVersion":"1.24","GitCommit":"berth","GoVersion":"go1.24.3","Os":"linux","Arch":"amd64","KernelVersion":"6.1.0","BuildTime":"2025-05-30T12:07:14.000000000+00:00"}
        """;

    [Fact]
    public async Task DockerVersion_AgainstOurServer_PrintsApiVersion150()
    {
        if (!File.Exists(Docker)) return;   // the CLI is part of this machine's toolset; nothing to check without it
        var seen = new List<string>();
        var router = new Router();
        router.Map("GET", "/_ping", (ctx, _) =>
        {
            ctx.Response.Headers.Set("Cache-Control", "no-cache, no-store, must-revalidate");
            ctx.Response.Headers.Set("Pragma", "no-cache");
            ctx.Response.Headers.Set("Builder-Version", "1");
            ctx.Response.Headers.Set("Swarm", "inactive");
            return ctx.Response.WriteTextAsync("OK", "text/plain; charset=utf-8", 200, default);
        });
        router.Map("GET", "/version", (ctx, _) => ctx.Response.WriteTextAsync(VersionJson, "application/json", 200, default));
        await using var t = await TestHttpServer.StartAsync(ctx =>
        {
            lock (seen) seen.Add($"{ctx.Request.Method} {ctx.Request.Path}");
            return router.DispatchAsync(ctx);
        });
        var (code, stdout, stderr) = await RunDockerAsync(t, "version", "--format", "{{.Server.APIVersion}}");
        Assert.True(code == 0, $"docker exited {code}: {stderr}");
        Assert.Equal("1.50", stdout.Trim());
        Assert.Contains("HEAD /_ping", seen);
        Assert.Contains("GET /v1.50/version", seen);
    }

    /// <summary>
    /// Without -i the CLI half-closes right after the 101 and then waits for output: the case Kestrel dropped.
    /// The server only writes after it has seen that EOF.
    /// </summary>
    [Fact]
    public async Task DockerExec_HalfCloseBeforeOutput_OutputAndExitCodeArrive()
    {
        if (!File.Exists(Docker)) return;
        var router = new Router();
        router.Map("GET", "/_ping", (ctx, _) => ctx.Response.WriteTextAsync("OK", "text/plain; charset=utf-8", 200, default));
        router.Map("GET", "/containers/{id}/json", (ctx, rv) => ctx.Response.WriteTextAsync(
            $"{{\"Id\":\"{rv["id"]}\",\"Name\":\"/web\",\"State\":{{\"Status\":\"running\",\"Running\":true}},\"Config\":{{\"Tty\":false}}}}", "application/json", 200, default));
        router.Map("POST", "/containers/{id}/exec", async (ctx, _) =>
        {
            await ctx.Request.Body.CopyToAsync(Stream.Null);
            await ctx.Response.WriteTextAsync("{\"Id\":\"e1\"}", "application/json", 201, default);
        });
        var sawStdinEof = false;
        router.Map("POST", "/exec/{id}/start", async (ctx, _) =>
        {
            using var s = await ctx.Response.UpgradeAsync("application/vnd.docker.multiplexed-stream", default);
            sawStdinEof = await s.ReadAsync(new byte[16]) == 0;
            var frame = new byte[8 + 3];
            frame[0] = 1;
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), 3);
            "hi\n"u8.CopyTo(frame.AsSpan(8));
            await s.WriteAsync(frame);
            s.ShutdownWrite();
        });
        router.Map("GET", "/exec/{id}/json", (ctx, _) =>
            ctx.Response.WriteTextAsync("{\"ID\":\"e1\",\"Running\":false,\"ExitCode\":3}", "application/json", 200, default));
        await using var t = await TestHttpServer.StartAsync(router.DispatchAsync);

        var (code, stdout, stderr) = await RunDockerAsync(t, "exec", "web", "echo", "hi");
        Assert.True(code == 3, $"docker exited {code}: {stderr}");
        Assert.Equal("hi\n", stdout);
        Assert.True(sawStdinEof);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunDockerAsync(TestHttpServer t, params string[] args)
    {
        var config = Path.Combine(t.Dir, "docker-config");
        Directory.CreateDirectory(config);
        var psi = new ProcessStartInfo(Docker) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-H");
        psi.ArgumentList.Add($"unix://{t.SocketPath}");
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOCKER_CONFIG"] = config;
        psi.Environment.Remove("DOCKER_HOST");
        psi.Environment.Remove("DOCKER_CONTEXT");
        psi.Environment.Remove("DOCKER_API_VERSION");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw;
        }
        return (p.ExitCode, await stdout, await stderr);
    }
}
