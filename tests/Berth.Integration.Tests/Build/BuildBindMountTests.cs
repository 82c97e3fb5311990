using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Build;

/// <summary>
/// <c>RUN --mount=type=bind</c> as BuildKit has it: the build context (or a path in it, or another stage) seen read-only at the
/// target, writable with <c>rw</c> but nothing written kept, nothing under the target left in the layer, and the step run again
/// when a bound file changes.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class BuildBindMountTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker)]
    public async Task BindFromContext_ReadsReadOnlyByDefault_RwWritesAreDropped_LayerHasNoMountPoint()
    {
        await using var ctx = new BuildContext(daemon, "bind");
        ctx.File("Dockerfile", """
            FROM busybox
            WORKDIR /w
            RUN --mount=type=bind,target=/ctx cat /ctx/src/app.txt > /app-copy && (touch /ctx/new 2>/dev/null && echo writable || echo read-only) > /ro-result
            RUN --mount=type=bind,source=src,target=rel,rw echo scribble > rel/app.txt && echo added > rel/added && cat rel/app.txt > /rw-saw
            RUN --mount=type=bind,source=src/app.txt,target=/etc/app.conf cat /etc/app.conf > /file-bind
            """).File("src/app.txt", "from the context\n");
        var tag = ctx.Tag("b");
        (await ctx.DockerBuildAsync("-t", tag)).Ok("build");
        var out1 = (await daemon.RunDockerAsync(["run", "--rm", tag, "sh", "-c",
            "cat /app-copy /ro-result /rw-saw /file-bind; ls -d /ctx /w/rel /etc/app.conf 2>&1; true"])).Ok("run").Stdout;
        Assert.Equal("from the context\nread-only\nscribble\nfrom the context\n" +
                     "ls: /ctx: No such file or directory\nls: /w/rel: No such file or directory\nls: /etc/app.conf: No such file or directory\n", out1);
        // The rw step saw its own write, but neither the context nor the next step did; only what it wrote beside the mount is kept.
        Assert.Equal("from the context\n", await File.ReadAllTextAsync(Path.Join(ctx.Dir, "src/app.txt")));
        Assert.Equal(["file-bind"], await BuildMountStubTests.TopLayerEntriesAsync(daemon, tag));
    }

    [RootFact(E2E.Docker)]
    public async Task BindFromStage_SeesThatStagesFiles_AndErrorsAreBuildKits()
    {
        await using var ctx = new BuildContext(daemon, "bindst");
        ctx.File("Dockerfile", """
            FROM busybox AS tools
            RUN mkdir -p /opt/t && echo made in tools > /opt/t/x

            FROM busybox
            RUN --mount=type=bind,from=tools,source=/opt/t,target=/t cat /t/x > /from-stage
            CMD ["cat", "/from-stage"]
            """);
        var tag = ctx.Tag("s");
        (await ctx.DockerBuildAsync("-t", tag)).Ok("build");
        Assert.Equal("made in tools\n", (await daemon.RunDockerAsync(["run", "--rm", tag])).Ok("run").Stdout);

        ctx.File("Dockerfile", "FROM busybox\nRUN --mount=type=bind,source=nope,target=/n true\n");
        var missing = await ctx.DockerBuildAsync("-t", ctx.Tag("m"));
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("\"/nope\": not found", missing.Stdout + missing.Stderr, StringComparison.Ordinal);

        ctx.File("Dockerfile", "FROM busybox\nRUN --mount=type=bind,target=/n,mode=0700 true\n");
        var bad = await ctx.DockerBuildAsync("-t", ctx.Tag("o"));
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("mode not allowed for \"bind\" type mounts", bad.Stdout + bad.Stderr, StringComparison.Ordinal);
    }

    [RootFact(E2E.Docker)]
    public async Task BindFromContext_EditingABoundFile_RunsTheStepAgain()
    {
        await using var ctx = new BuildContext(daemon, "bindc");
        ctx.File("Dockerfile", """
            FROM busybox
            RUN --mount=type=bind,source=conf,target=/conf cat /conf/a.txt > /seen
            """).File("conf/a.txt", "v1\n").File("other.txt", "unbound\n");
        var tag = ctx.Tag("c");
        (await ctx.DockerBuildAsync("-t", tag)).Ok("first");
        var cached = (await ctx.DockerBuildAsync("-t", tag)).Ok("again");
        Assert.Contains("Using cache", cached.Stdout, StringComparison.Ordinal);
        ctx.File("other.txt", "changed but not bound\n");
        Assert.Contains("Using cache", (await ctx.DockerBuildAsync("-t", tag)).Ok("unbound edit").Stdout, StringComparison.Ordinal);
        File.SetLastWriteTimeUtc(Path.Join(ctx.Dir, "conf/a.txt"), DateTime.UtcNow.AddHours(-2));
        Assert.Contains("Using cache", (await ctx.DockerBuildAsync("-t", tag)).Ok("touched").Stdout, StringComparison.Ordinal);
        ctx.File("conf/a.txt", "v2\n");
        var rerun = (await ctx.DockerBuildAsync("-t", tag)).Ok("edited");
        Assert.DoesNotContain("Using cache", rerun.Stdout, StringComparison.Ordinal);
        Assert.Equal("v2\n", (await daemon.RunDockerAsync(["run", "--rm", tag, "cat", "/seen"])).Ok("run").Stdout);
    }
}
