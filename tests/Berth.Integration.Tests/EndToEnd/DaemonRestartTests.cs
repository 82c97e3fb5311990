using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.EndToEnd;

/// <summary>kill -9 of berthd loses no container: monitors keep them running and record how they ended.</summary>
[Collection(DaemonCollection.Name)]
public sealed class DaemonRestartTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker)]
    public async Task Kill9_RunningContainer_StillRunsAfterRestart()
    {
        var id = (await daemon.RunDockerAsync(["run", "-d", "busybox", "sh", "-c", "echo started; exec sleep 1000"])).Ok("run -d").Stdout.Trim();
        try
        {
            await E2E.EventuallyAsync(() => daemon.RunDockerAsync(["logs", id]), r => r.Stdout.Contains("started", StringComparison.Ordinal),
                TimeSpan.FromSeconds(10), "the container's first log line");

            await daemon.Kill9Async();
            await daemon.RestartAsync();

            var ps = (await daemon.RunDockerAsync(["ps", "-q", "--no-trunc"])).Ok("ps after restart");
            Assert.Contains(id, ps.Stdout.Split('\n'));
            var state = (await daemon.RunDockerAsync(["inspect", "-f", "{{.State.Running}}", id])).Ok("inspect after restart");
            Assert.Equal("true\n", state.Stdout);
            var logs = (await daemon.RunDockerAsync(["logs", id])).Ok("logs after restart");
            Assert.Equal("started\n", logs.Stdout);

            (await daemon.RunDockerAsync(["kill", id])).Ok("kill");
            var wait = (await daemon.RunDockerAsync(["wait", id], timeout: TimeSpan.FromSeconds(30))).Ok("wait");
            Assert.Equal("137\n", wait.Stdout);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(id);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task Kill9_ContainerExitsWhileDaemonDown_WaitReturnsItsExitCode()
    {
        var id = (await daemon.RunDockerAsync(["run", "-d", "busybox", "sh", "-c", "sleep 2; exit 7"])).Ok("run -d").Stdout.Trim();
        try
        {
            await daemon.Kill9Async();
            // The container ends about two seconds after it started, with nobody but its monitor watching.
            await Task.Delay(TimeSpan.FromSeconds(4));
            await daemon.RestartAsync();

            var wait = (await daemon.RunDockerAsync(["wait", id], timeout: TimeSpan.FromSeconds(30))).Ok("wait");
            Assert.Equal("7\n", wait.Stdout);
            var state = (await daemon.RunDockerAsync(["inspect", "-f", "{{.State.Running}} {{.State.ExitCode}}", id])).Ok("inspect");
            Assert.Equal("false 7\n", state.Stdout);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(id);
        }
    }
}
