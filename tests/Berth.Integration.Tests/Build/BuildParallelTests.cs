using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Build;

/// <summary>Independent stages run at the same time (they meet mid-step); the log reads as a sequential build's and the result and cache are the same.</summary>
[Collection(DaemonCollection.Name)]
public sealed partial class BuildParallelTests(DaemonFixture daemon)
{
    /// <summary>
    /// Proof without a clock: the two stages meet through a cache mount both bind (the same host directory). Each one leaves its
    /// mark and then waits for the other's, so neither can finish unless both run at once; built one after the other, the first
    /// would give up after its bound and fail the build. The builder runs as many stages at once as the host has cores (2 here).
    /// </summary>
    [RootFact]
    public async Task Build_IndependentStages_RunAtTheSameTime_TheyMeetMidStep()
    {
        await using var ctx = new BuildContext(daemon, "meet");
        var id = Guid.NewGuid().ToString("N");
        ctx.File("Dockerfile", $"""
            FROM busybox AS a
            RUN --mount=type=cache,id=meet-{id},target=/meet {Meet("a", "b")} && echo a-{id} > /a
            FROM busybox AS b
            RUN --mount=type=cache,id=meet-{id},target=/meet {Meet("b", "a")} && echo b-{id} > /b
            FROM busybox
            COPY --from=a /a /out/a
            COPY --from=b /b /out/b
            CMD ["cat", "/out/a", "/out/b"]
            """);
        var tag = ctx.Tag("meet");
        var build = await ctx.DockerBuildAsync("--no-cache", "-t", tag);
        Assert.True(build.ExitCode == 0, "the stages did not run at the same time:\n" + build);
        Assert.Contains("a met b\n", build.Stdout, StringComparison.Ordinal);
        Assert.Contains("b met a\n", build.Stdout, StringComparison.Ordinal);
        Assert.Equal($"a-{id}\nb-{id}\n", (await daemon.RunDockerAsync(["run", "--rm", tag])).Ok("run").Stdout);
    }

    /// <summary>Marks <paramref name="self"/> as started, then waits (at most 120 s) for <paramref name="other"/>'s mark.</summary>
    private static string Meet(string self, string other) =>
        $"touch /meet/{self} && i=0 && while [ ! -e /meet/{other} ]; do i=$((i+1)); [ $i -le 1200 ] || exit 7; sleep 0.1; done && echo '{self} met {other}'";

    [RootFact]
    public async Task Build_ParallelStages_LogAndResultAsASequentialBuild()
    {
        await using var ctx = new BuildContext(daemon, "par");
        var id = Guid.NewGuid().ToString("N");
        ctx.File("Dockerfile", $"""
            FROM busybox AS a
            RUN echo "start-a"; sleep 1; echo "end-a"; echo a-{id} > /a
            FROM busybox AS b
            RUN echo "start-b"; sleep 1; echo "end-b"; echo b-{id} > /b
            FROM busybox
            COPY --from=a /a /out/a
            COPY --from=b /b /out/b
            CMD ["cat", "/out/a", "/out/b"]
            """);

        // Sequential reference: each stage on its own, then the whole file, which finds the stages in the cache.
        (await ctx.DockerBuildAsync("--target", "a", "-t", ctx.Tag("a"))).Ok("stage a alone");
        (await ctx.DockerBuildAsync("--target", "b", "-t", ctx.Tag("b"))).Ok("stage b alone");
        var seqTag = ctx.Tag("seq");
        var seq = (await ctx.DockerBuildAsync("-t", seqTag)).Ok("sequential");
        Assert.DoesNotContain(" ---> Running in ", seq.Stdout, StringComparison.Ordinal);

        var parTag = ctx.Tag("par");
        var par = (await ctx.DockerBuildAsync("--no-cache", "-t", parTag)).Ok("parallel");

        // Readable: the steps come out whole and in order, each stage's output inside its own step, as in a sequential build.
        var numbers = StepLine().Matches(par.Stdout).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, 8), numbers);
        var at = (string text) => par.Stdout.IndexOf(text, StringComparison.Ordinal);
        Assert.True(at("Step 2/8") < at("\nstart-a\n") && at("\nstart-a\n") < at("\nend-a\n") && at("\nend-a\n") < at("Step 3/8"), par.Stdout);
        Assert.True(at("Step 4/8") < at("\nstart-b\n") && at("\nstart-b\n") < at("\nend-b\n") && at("\nend-b\n") < at("Step 5/8"), par.Stdout);

        // Same result as the sequential build: history, content, config and layer count (layer bytes carry the files' mtimes).
        Assert.Equal(await HistoryAsync(seqTag), await HistoryAsync(parTag));
        Assert.Equal($"a-{id}\nb-{id}\n", (await daemon.RunDockerAsync(["run", "--rm", parTag])).Ok("run").Stdout);
        Assert.Equal(await ConfigAsync(seqTag), await ConfigAsync(parTag));

        // Same cache: a rebuild finds every step the parallel build made.
        var again = (await ctx.DockerBuildAsync("-t", parTag)).Ok("cached");
        Assert.All(BuildContext.Steps(again.Stdout).Where(s => !s.Step.StartsWith("FROM", StringComparison.Ordinal)), s => Assert.True(s.Cached, s.Step));
        Assert.Equal(await IdAsync(parTag), ImageIdOf(again.Stdout));
    }

    private async Task<string> HistoryAsync(string tag) =>
        (await daemon.RunDockerAsync(["history", "--no-trunc", "--format", "{{.CreatedBy}}", tag])).Ok("history").Stdout;

    private async Task<string> ConfigAsync(string tag) =>
        (await daemon.RunDockerAsync(["image", "inspect", "-f", "{{json .Config.Cmd}} {{json .Config.Env}} {{len .RootFS.Layers}}", tag])).Ok("inspect").Stdout;

    private async Task<string> IdAsync(string tag) =>
        (await daemon.RunDockerAsync(["image", "inspect", "-f", "{{.Id}}", tag])).Ok("inspect").Stdout.Trim()[7..19];

    private static string ImageIdOf(string output) => Regex.Match(output, "Successfully built ([0-9a-f]{12})").Groups[1].Value;

    [GeneratedRegex(@"^Step (\d+)/\d+ : ", RegexOptions.Multiline)]
    private static partial Regex StepLine();
}
