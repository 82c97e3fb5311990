using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Build;

/// <summary>
/// The cache scenario of seed 003 (layer order): editing the app file re-runs only what follows the COPY that brings it in,
/// when dependencies are copied first; with the wrong order the "install" step runs again.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class BuildCacheTests(DaemonFixture daemon)
{
    [RootFact]
    public async Task Build_CorrectOrder_EditingAppReRunsOnlyWhatFollowsCopy()
    {
        await using var ctx = new BuildContext(daemon, "order");
        ctx.File("requirements.txt", "flask==3.0\n").File("main.py", "print('helo')\n").File("Dockerfile", """
            FROM busybox
            WORKDIR /app
            COPY requirements.txt .
            RUN echo installing && cp requirements.txt installed.txt && date +%s%N > stamp
            COPY . .
            CMD ["cat", "main.py"]
            """);
        var tag = ctx.Tag("v");
        var first = (await ctx.DockerBuildAsync("-t", tag)).Ok("first build");
        Assert.Contains("installing", first.Stdout, StringComparison.Ordinal);
        var stamp1 = (await daemon.RunDockerAsync(["run", "--rm", tag, "cat", "/app/stamp"])).Ok("read stamp").Stdout;

        ctx.File("main.py", "print('hello')\n");
        var second = (await ctx.DockerBuildAsync("-t", tag)).Ok("rebuild after edit");
        var steps = BuildContext.Steps(second.Stdout);
        Assert.Equal(6, steps.Count);
        Assert.Equal([false, true, true, true, false, false], steps.Select(s => s.Cached));
        Assert.DoesNotContain(steps, s => s.Ran);
        Assert.Equal("print('hello')\n", (await daemon.RunDockerAsync(["run", "--rm", tag])).Ok("run").Stdout);
        Assert.Equal(stamp1, (await daemon.RunDockerAsync(["run", "--rm", tag, "cat", "/app/stamp"])).Ok("read stamp").Stdout);

        // Only content counts: a new mtime on an unchanged file keeps every step cached, and the image id stays the same.
        File.SetLastWriteTimeUtc(Path.Combine(ctx.Dir, "requirements.txt"), DateTime.UtcNow.AddHours(1));
        var third = (await ctx.DockerBuildAsync("-t", tag)).Ok("rebuild unchanged");
        Assert.All(BuildContext.Steps(third.Stdout).Skip(1), s => Assert.True(s.Cached, s.Step));
        Assert.Equal(ImageId(second.Stdout), ImageId(third.Stdout));
    }

    [RootFact]
    public async Task Build_WrongOrder_EditingAppReRunsInstall()
    {
        await using var ctx = new BuildContext(daemon, "wrong");
        ctx.File("requirements.txt", "flask==3.0\n").File("main.py", "print('helo')\n").File("Dockerfile", """
            FROM busybox
            WORKDIR /app
            COPY . .
            RUN echo installing && cp requirements.txt installed.txt
            CMD ["cat", "main.py"]
            """);
        var tag = ctx.Tag("v");
        (await ctx.DockerBuildAsync("-t", tag)).Ok("first build");
        ctx.File("main.py", "print('hello')\n");
        var second = (await ctx.DockerBuildAsync("-t", tag)).Ok("rebuild after edit");
        var steps = BuildContext.Steps(second.Stdout);
        Assert.Equal([false, true, false, false, false], steps.Select(s => s.Cached));
        Assert.True(steps[3].Ran, second.Stdout);
        Assert.Contains("installing", second.Stdout, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Build_BuildArgChange_MissesOnlyFromTheRunThatSeesIt()
    {
        await using var ctx = new BuildContext(daemon, "args");
        ctx.File("Dockerfile", """
            FROM busybox
            RUN echo before > /before
            ARG FLAVOR=plain
            ENV FIXED=1
            RUN echo "$FLAVOR" > /flavor
            """);
        var tag = ctx.Tag("v");
        (await ctx.DockerBuildAsync("-t", tag)).Ok("first");
        var again = (await ctx.DockerBuildAsync("-t", tag, "--build-arg", "FLAVOR=spicy")).Ok("with arg");
        var steps = BuildContext.Steps(again.Stdout);
        // The ARG and ENV steps are the same config; only the RUN that has FLAVOR in scope differs.
        Assert.Equal([false, true, true, true, false], steps.Select(s => s.Cached));
        Assert.Equal("spicy\n", (await daemon.RunDockerAsync(["run", "--rm", tag, "cat", "/flavor"])).Ok("run").Stdout);
        var history = (await daemon.RunDockerAsync(["history", "--no-trunc", "--format", "{{.CreatedBy}}", tag])).Ok("history").Stdout;
        Assert.Contains("|1 FLAVOR=spicy /bin/sh -c echo \"$FLAVOR\" > /flavor", history, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Build_NoCache_RunsEveryStep()
    {
        await using var ctx = new BuildContext(daemon, "nocache");
        ctx.File("Dockerfile", "FROM busybox\nENV A=1\nRUN true\n");
        var tag = ctx.Tag("v");
        (await ctx.DockerBuildAsync("-t", tag)).Ok("first");
        var again = (await ctx.DockerBuildAsync("--no-cache", "-t", tag)).Ok("no-cache");
        Assert.DoesNotContain("Using cache", again.Stdout, StringComparison.Ordinal);
        Assert.True(BuildContext.Steps(again.Stdout)[2].Ran);
    }

    private static string ImageId(string output) =>
        output.Split('\n').Single(l => l.StartsWith("Successfully built ", StringComparison.Ordinal))["Successfully built ".Length..].Trim();
}
