using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Build;

/// <summary>Independent stages run at the same time; the log reads as a sequential build's and the result and cache are the same.</summary>
[Collection(DaemonCollection.Name)]
public sealed partial class BuildParallelTests(DaemonFixture daemon)
{
    [RootFact]
    public async Task Build_IndependentStages_RunInParallelWithSequentialResult()
    {
        await using var ctx = new BuildContext(daemon, "par");
        var id = Guid.NewGuid().ToString("N");
        // /proc/uptime is the host's clock (not namespaced): the RUNs print when their sleep starts and ends.
        ctx.File("Dockerfile", $"""
            FROM busybox AS a
            RUN read up rest < /proc/uptime; echo "start-a $up"; sleep 1; read up rest < /proc/uptime; echo "end-a $up"; echo a-{id} > /a
            FROM busybox AS b
            RUN read up rest < /proc/uptime; echo "start-b $up"; sleep 1; read up rest < /proc/uptime; echo "end-b $up"; echo b-{id} > /b
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
        var times = UptimeLine().Matches(par.Stdout).ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.Equal(4, times.Count);
        var span = Math.Max(times["end-a"], times["end-b"]) - Math.Min(times["start-a"], times["start-b"]);
        Assert.True(span < 1.8, $"the two 1 s RUNs took {span:F2} s together:\n{par.Stdout}");

        // Readable: the steps come out whole and in order, as in a sequential build.
        var numbers = StepLine().Matches(par.Stdout).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, 8), numbers);
        Assert.True(par.Stdout.IndexOf("end-a", StringComparison.Ordinal) < par.Stdout.IndexOf("Step 3/8", StringComparison.Ordinal), par.Stdout);

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

    [GeneratedRegex(@"^(start-a|end-a|start-b|end-b) ([0-9.]+)$", RegexOptions.Multiline)]
    private static partial Regex UptimeLine();

    [GeneratedRegex(@"^Step (\d+)/\d+ : ", RegexOptions.Multiline)]
    private static partial Regex StepLine();
}
