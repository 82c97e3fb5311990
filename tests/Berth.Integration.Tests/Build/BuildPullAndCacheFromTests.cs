using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Images;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Build;

/// <summary><c>--pull</c> and <c>--cache-from</c> against <c>berth registry serve</c> on loopback.</summary>
[Collection(DaemonCollection.Name)]
public sealed class BuildPullAndCacheFromTests(DaemonFixture daemon)
{
    [RootFact]
    public async Task Build_Pull_RepullsChangedTagAndFailsWithoutRegistry()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        await using var ctx = new BuildContext(daemon, "pull");
        RegistryProcess? registry = await RegistryProcess.StartAsync();
        var address = registry.Address;
        var baseRef = $"{registry.Address}/pull/base-{id}:1";
        try
        {
            ctx.File("Dockerfile", $"FROM busybox\nRUN echo v1-{id} > /v\n");
            var v1 = ctx.Tag("v1");
            (await ctx.DockerBuildAsync("-t", v1, "-t", baseRef)).Ok("build v1");
            (await daemon.RunDockerAsync(["push", baseRef])).Ok("push v1");
            ctx.File("Dockerfile", $"FROM busybox\nRUN echo v2-{id} > /v\n");
            (await ctx.DockerBuildAsync("-t", baseRef)).Ok("build v2");
            (await daemon.RunDockerAsync(["push", baseRef])).Ok("push v2");
            (await daemon.RunDockerAsync(["tag", v1, baseRef])).Ok("point the local tag back at v1");

            ctx.File("Dockerfile", $"FROM {baseRef}\nCMD [\"cat\", \"/v\"]\n");
            var local = ctx.Tag("local");
            (await ctx.DockerBuildAsync("-t", local)).Ok("build without --pull");
            Assert.Equal($"v1-{id}\n", (await daemon.RunDockerAsync(["run", "--rm", local])).Ok("run").Stdout);

            var pulled = ctx.Tag("pulled");
            var build = (await ctx.DockerBuildAsync("--pull", "-t", pulled)).Ok("build with --pull");
            Assert.Contains($"Status: Downloaded newer image for {baseRef}", build.Stdout, StringComparison.Ordinal);
            Assert.Equal($"v2-{id}\n", (await daemon.RunDockerAsync(["run", "--rm", pulled])).Ok("run").Stdout);

            // Like Docker: with --pull the registry must answer, even though the image is here.
            await registry.DisposeAsync();
            registry = null;
            var offline = await ctx.DockerBuildAsync("--pull", "-t", ctx.Tag("offline"));
            Assert.NotEqual(0, offline.ExitCode);
            Assert.Contains(address, offline.Stderr + offline.Stdout, StringComparison.Ordinal);

            // The offline busybox is treated as `docker pull busybox` is on Berth (no Docker Hub configured): up to date.
            ctx.File("Dockerfile", "FROM busybox\nCMD [\"true\"]\n");
            var bb = (await ctx.DockerBuildAsync("--pull", "-t", ctx.Tag("bb"))).Ok("--pull of the local busybox");
            Assert.Contains("Status: Image is up to date for busybox:latest", bb.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            if (registry is not null) await registry.DisposeAsync();
            await daemon.RunDockerAsync(["rmi", "-f", baseRef]);
        }
    }

    [RootFact]
    public async Task Build_CacheFrom_PulledImageServesAsCache()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        await using var ctx = new BuildContext(daemon, "cfrom");
        await using var registry = await RegistryProcess.StartAsync();
        var app = $"{registry.Address}/cf/app-{id}:1";
        try
        {
            ctx.File("Dockerfile", $"FROM busybox\nENV X={id}\nRUN echo {id} > /id\nCMD [\"cat\", \"/id\"]\n");
            (await ctx.DockerBuildAsync("-t", app)).Ok("build");
            (await daemon.RunDockerAsync(["push", app])).Ok("push");
            var builtId = await IdAsync(app);
            // Forget everything local about it: the image, its intermediate images and the step cache.
            (await daemon.RunDockerAsync(["rmi", app])).Ok("rmi");
            await PruneBuildCacheAsync();
            (await daemon.RunDockerAsync(["pull", app])).Ok("pull");
            Assert.Equal(builtId, await IdAsync(app));

            var tag = ctx.Tag("cf");
            var hit = (await ctx.DockerBuildAsync("--cache-from", app, "-t", tag)).Ok("build --cache-from");
            Assert.All(BuildContext.Steps(hit.Stdout).Skip(1), s => Assert.True(s.Cached, s.Step + "\n" + hit.Stdout));
            Assert.Equal(builtId, await IdAsync(tag));

            // A step after the cached ones runs on the restored chain; the history keeps the source's entries.
            ctx.File("Dockerfile", $"FROM busybox\nENV X={id}\nRUN echo {id} > /id\nLABEL extra=1\n");
            await PruneBuildCacheAsync();
            var partial = (await ctx.DockerBuildAsync("--cache-from", app, "-t", ctx.Tag("partial"))).Ok("partial");
            Assert.Equal([false, true, true, false], BuildContext.Steps(partial.Stdout).Select(s => s.Cached));
            Assert.DoesNotContain(" ---> Running in ", partial.Stdout, StringComparison.Ordinal);

            await PruneBuildCacheAsync();
            var miss = (await ctx.DockerBuildAsync("-t", ctx.Tag("miss"))).Ok("without --cache-from");
            Assert.Contains(" ---> Running in ", miss.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            await daemon.RunDockerAsync(["rmi", "-f", app]);
        }
    }

    private async Task PruneBuildCacheAsync()
    {
        using var http = daemon.CreateApiClient();
        using var response = await http.PostAsync("http://localhost/build/prune", null);
        Assert.True(response.IsSuccessStatusCode, $"build prune: {(int)response.StatusCode}");
    }

    private async Task<string> IdAsync(string reference) =>
        (await daemon.RunDockerAsync(["image", "inspect", "-f", "{{.Id}}", reference])).Ok("inspect").Stdout.Trim();
}
