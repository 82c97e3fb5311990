using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.EndToEnd;

/// <summary>Restart policies through the real docker CLI: on-failure's retry limit, manual stop, and daemon restarts.</summary>
[Collection(DaemonCollection.Name)]
public sealed class RestartPolicyTests(DaemonFixture daemon)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [RootFact(E2E.Docker)]
    public async Task OnFailure3_CrashingContainer_RestartsExactlyThreeTimes()
    {
        var name = E2E.UniqueName("onfail");
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", name, "--restart", "on-failure:3", "busybox", "sh", "-c", "echo run; exit 3"])).Ok("run -d");
            // Backoff 100+200+400 ms: the fourth exit is final well within the patience.
            var state = await E2E.EventuallyAsync(() => daemon.RunDockerAsync(["inspect", "-f", "{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}", name]),
                r => r.Stdout == "exited 3 3\n", Patience, "on-failure:3 to give up after three restarts");
            await Task.Delay(1000);
            Assert.Equal("exited 3 3\n", (await daemon.RunDockerAsync(["inspect", "-f", "{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}", name])).Ok("inspect").Stdout);
            var logs = (await daemon.RunDockerAsync(["logs", name])).Ok("logs");
            Assert.Equal(4, logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.NotNull(state);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task Always_ManualStop_StaysStoppedAndStartResetsCount()
    {
        var name = E2E.UniqueName("always");
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", name, "--restart", "always", "busybox", "sh", "-c", "sleep 0.3; exit 0"])).Ok("run -d");
            await E2E.EventuallyAsync(() => daemon.RunDockerAsync(["inspect", "-f", "{{.RestartCount}}", name]),
                r => int.TryParse(r.Stdout.Trim(), out var n) && n >= 2, Patience, "always to restart a container that exits 0");
            (await daemon.RunDockerAsync(["stop", "-t", "1", name], timeout: TimeSpan.FromSeconds(30))).Ok("stop");
            await Task.Delay(1500);
            var after = (await daemon.RunDockerAsync(["inspect", "-f", "{{.State.Status}} {{.State.Restarting}}", name])).Ok("inspect");
            Assert.Equal("exited false\n", after.Stdout);

            (await daemon.RunDockerAsync(["update", "--restart", "no", name])).Ok("update --restart no");
            (await daemon.RunDockerAsync(["start", name])).Ok("start");
            var count = (await daemon.RunDockerAsync(["inspect", "-f", "{{.RestartCount}}", name])).Ok("inspect");
            Assert.Equal("0\n", count.Stdout);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task Always_ContainerKilledWhileDaemonDown_ComesBackAfterRestart()
    {
        var name = E2E.UniqueName("boot");
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", name, "--restart", "always", "busybox", "sleep", "1000"])).Ok("run -d");
            var pid = int.Parse((await daemon.RunDockerAsync(["inspect", "-f", "{{.State.Pid}}", name])).Ok("inspect pid").Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(pid > 0);

            await daemon.Kill9Async();
            // The container dies while nobody but its monitor watches; the restarted daemon must apply the policy.
            Assert.Equal(0, Libc.Kill(pid, Libc.SIGKILL));
            await Task.Delay(500);
            await daemon.RestartAsync();

            var state = await E2E.EventuallyAsync(() => daemon.RunDockerAsync(["inspect", "-f", "{{.State.Status}} {{.RestartCount}} {{.State.Pid}}", name]),
                r => r.Stdout.StartsWith("running 1 ", StringComparison.Ordinal), Patience, "the always container to be restarted by the new daemon");
            Assert.NotEqual(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), state.Stdout.Split(' ')[2].Trim());
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task UnlessStopped_RestartingContainer_StopCancelsPendingRestart()
    {
        var name = E2E.UniqueName("unless");
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", name, "--restart", "unless-stopped", "busybox", "false"])).Ok("run -d");
            // Backoff grows to seconds after a few crashes, so the container is soon caught between restarts.
            await E2E.EventuallyAsync(() => daemon.RunDockerAsync(["inspect", "-f", "{{.State.Status}}", name]),
                r => r.Stdout == "restarting\n", Patience, "the container to be seen restarting");
            var ps = (await daemon.RunDockerAsync(["ps", "--filter", "name=" + name, "--format", "{{.Status}}"])).Ok("ps");
            Assert.StartsWith("Restarting (1)", ps.Stdout, StringComparison.Ordinal);
            (await daemon.RunDockerAsync(["stop", name], timeout: TimeSpan.FromSeconds(30))).Ok("stop");
            var count = (await daemon.RunDockerAsync(["inspect", "-f", "{{.RestartCount}}", name])).Ok("inspect").Stdout;
            await Task.Delay(3000);
            var after = (await daemon.RunDockerAsync(["inspect", "-f", "{{.State.Status}} {{.RestartCount}}", name])).Ok("inspect");
            Assert.Equal("exited " + count, after.Stdout);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }
}
