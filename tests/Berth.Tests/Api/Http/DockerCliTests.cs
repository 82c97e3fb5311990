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
        var config = Path.Combine(t.Dir, "docker-config");
        Directory.CreateDirectory(config);

        var psi = new ProcessStartInfo(Docker) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-H", $"unix://{t.SocketPath}", "version", "--format", "{{.Server.APIVersion}}" }) psi.ArgumentList.Add(a);
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
        Assert.True(p.ExitCode == 0, $"docker exited {p.ExitCode}: {await stderr}");
        Assert.Equal("1.50", (await stdout).Trim());
        Assert.Contains("HEAD /_ping", seen);
        Assert.Contains("GET /v1.50/version", seen);
    }
}
