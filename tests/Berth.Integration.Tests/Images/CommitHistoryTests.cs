using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Images;

/// <summary><c>docker commit</c> with <c>--change</c> and <c>-m</c>, then <c>docker history</c> and prune.</summary>
[Collection(DaemonCollection.Name)]
public sealed class CommitHistoryTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker)]
    public async Task Commit_WithChangeAndMessage_RunsAndShowsInHistory()
    {
        var name = E2E.UniqueName("commit");
        var image = $"it-commit/{Guid.NewGuid():N}"[..22] + ":1";
        (await daemon.RunDockerAsync(["run", "--name", name, "busybox", "sh", "-c", "echo committed > /f && rm /bin/true"])).Ok("run");
        try
        {
            var id = (await daemon.RunDockerAsync(["commit", "-m", "my message", "-a", "tester", "-c", "CMD [\"cat\", \"/f\"]", "-c", "ENV A=b", name, image])).Ok("commit").Stdout.Trim();
            Assert.Matches("^sha256:[0-9a-f]{64}$", id);
            var run = (await daemon.RunDockerAsync(["run", "--rm", image])).Ok("run committed");
            Assert.Equal("committed\n", run.Stdout);
            var gone = await daemon.RunDockerAsync(["run", "--rm", image, "ls", "/bin/true"]);
            Assert.NotEqual(0, gone.ExitCode);   // the deletion (a whiteout) was committed too
            var env = (await daemon.RunDockerAsync(["image", "inspect", "-f", "{{json .Config.Env}} {{.Author}} {{.Comment}}", image])).Ok("inspect");
            Assert.Contains("\"A=b\"", env.Stdout);
            Assert.Contains("tester my message", env.Stdout);

            var history = (await daemon.RunDockerAsync(["history", image])).Ok("history");
            Assert.Contains("my message", history.Stdout);
            Assert.StartsWith("IMAGE", history.Stdout);
            var ours = (await daemon.RunBerthAsync(["history", image])).Ok("berth history");
            Assert.Contains("my message", ours.Stdout);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
            await daemon.RunDockerAsync(["rmi", "-f", image]);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task ImagePrune_Dangling_RemovesUntaggedOnly()
    {
        var image = await ImageMaker.MakeAsync(daemon, $"it-prune/{Guid.NewGuid():N}"[..21] + ":1");
        var id = (await daemon.RunDockerAsync(["image", "inspect", "-f", "{{.Id}}", image])).Ok("inspect").Stdout.Trim();
        // Re-tagging the name elsewhere leaves the image dangling.
        (await daemon.RunDockerAsync(["tag", "busybox", image])).Ok("retag");
        try
        {
            var prune = (await daemon.RunDockerAsync(["image", "prune", "-f"])).Ok("image prune");
            Assert.Contains("deleted: " + id, prune.Stdout);
            Assert.NotEqual(0, (await daemon.RunDockerAsync(["image", "inspect", id])).ExitCode);
            (await daemon.RunDockerAsync(["image", "inspect", "busybox"])).Ok("busybox survives");
            var df = (await daemon.RunDockerAsync(["system", "df"])).Ok("system df");
            Assert.Contains("Images", df.Stdout);
        }
        finally
        {
            await daemon.RunDockerAsync(["rmi", image]);
        }
    }
}
