using System.Globalization;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Images;

/// <summary>
/// <c>commit --pause</c> (default true, as Docker): a running container is frozen while its layer is written and thawed after,
/// which shows as pause, commit, unpause events; <c>--pause=false</c> commits without freezing.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class CommitPauseTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker)]
    public async Task Commit_RunningContainer_PausesAroundCommitByDefault_AndNotWithPauseFalse()
    {
        var name = E2E.UniqueName("commitpause");
        var image = $"it-commitpause/{Guid.NewGuid():N}"[..26];
        (await daemon.RunDockerAsync(["run", "-d", "--name", name, "busybox", "sh", "-c", "echo x > /f; sleep 60"])).Ok("run");
        try
        {
            var since = Unix(DateTimeOffset.UtcNow.AddSeconds(-1));
            (await daemon.RunDockerAsync(["commit", name, image + ":paused"])).Ok("docker commit");
            Assert.Equal(["pause", "commit", "unpause"], await ActionsAsync(name, since));
            var state = (await daemon.RunDockerAsync(["inspect", "-f", "{{.State.Status}} {{.State.Paused}}", name])).Ok("inspect");
            Assert.Equal("running false", state.Stdout.Trim());

            await Task.Delay(1100);   // event times have one-second resolution on the command line
            since = Unix(DateTimeOffset.UtcNow);
            (await daemon.RunBerthAsync(["commit", "--pause=false", name, image + ":live"])).Ok("berth commit --pause=false");
            Assert.Equal(["commit"], await ActionsAsync(name, since));

            // The CLI's default is to pause too.
            await Task.Delay(1100);
            since = Unix(DateTimeOffset.UtcNow);
            (await daemon.RunBerthAsync(["commit", name, image + ":berth"])).Ok("berth commit");
            Assert.Equal(["pause", "commit", "unpause"], await ActionsAsync(name, since));
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
            foreach (var t in new[] { "paused", "live", "berth" }) await daemon.RunDockerAsync(["rmi", "-f", $"{image}:{t}"]);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task Commit_PausedContainer_StaysPaused()
    {
        var name = E2E.UniqueName("commitpaused");
        var image = $"it-commitpaused/{Guid.NewGuid():N}"[..27] + ":1";
        (await daemon.RunDockerAsync(["run", "-d", "--name", name, "busybox", "sleep", "60"])).Ok("run");
        try
        {
            (await daemon.RunDockerAsync(["pause", name])).Ok("pause");
            (await daemon.RunDockerAsync(["commit", name, image])).Ok("commit a paused container");
            var state = (await daemon.RunDockerAsync(["inspect", "-f", "{{.State.Status}}", name])).Ok("inspect");
            Assert.Equal("paused", state.Stdout.Trim());
        }
        finally
        {
            await daemon.RunDockerAsync(["unpause", name]);
            await daemon.RemoveQuietlyAsync(name);
            await daemon.RunDockerAsync(["rmi", "-f", image]);
        }
    }

    private async Task<List<string>> ActionsAsync(string container, string since)
    {
        var until = Unix(DateTimeOffset.UtcNow.AddSeconds(1));
        var r = (await daemon.RunDockerAsync(["events", "--since", since, "--until", until, "--filter", "container=" + container,
            "--filter", "event=pause", "--filter", "event=unpause", "--filter", "event=commit", "--format", "{{.Action}}"], timeout: TimeSpan.FromSeconds(30))).Ok("events");
        return [.. r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static string Unix(DateTimeOffset t) => t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
