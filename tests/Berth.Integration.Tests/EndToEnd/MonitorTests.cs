using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.EndToEnd;

/// <summary>What berth-monitor does for a container: its log, its stdio, and both while berthd is down.</summary>
[Collection(DaemonCollection.Name)]
public sealed class MonitorTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker)]
    public async Task NonRootUser_WritesThroughDevStdoutAndDevStderr_BothLogged()
    {
        // The stdio pipes are mode 0777, as conmon made them: a process that is not root can open /proc/self/fd/N.
        var name = E2E.UniqueName("monuser");
        try
        {
            (await daemon.RunDockerAsync(["run", "--name", name, "--user", "65534:65534", "busybox", "sh", "-c",
                "echo to-stdout > /dev/stdout && echo to-stderr > /dev/stderr"])).Ok("run");
            var logs = (await daemon.RunDockerAsync(["logs", name])).Ok("logs");
            Assert.Equal(("to-stdout\n", "to-stderr\n"), (logs.Stdout, logs.Stderr));
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task ManyMegabytes_EveryByteLogged_AndAnUnfinishedLastLineKept()
    {
        var name = E2E.UniqueName("monbig");
        try
        {
            // 5.5 MB of lines (500,000 of 11 bytes), then a last line without a newline: many reads of the monitor, one partial line at the end.
            (await daemon.RunDockerAsync(["run", "--name", name, "busybox", "sh", "-c", "yes 0123456789 | head -c 5500000; printf the-end"],
                timeout: TimeSpan.FromSeconds(60))).Ok("run");
            var logs = (await daemon.RunDockerAsync(["logs", name], timeout: TimeSpan.FromSeconds(60))).Ok("logs");
            Assert.Equal(5_500_000 + "the-end".Length, logs.Stdout.Length);
            Assert.EndsWith("0123456789\n0123456789\nthe-end", logs.Stdout, StringComparison.Ordinal);
            Assert.Equal(500_000, logs.Stdout.AsSpan().Count('\n'));
            Assert.Equal("the-end", (await daemon.RunDockerAsync(["logs", "--tail", "1", name])).Ok("logs --tail 1").Stdout);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task Kill9_OutputWhileDaemonIsDown_IsLoggedInOrder_AndTheExitCodeKept()
    {
        var id = (await daemon.RunDockerAsync(["run", "-d", "busybox", "sh", "-c", "for i in $(seq 1 40); do echo line $i; sleep 0.05; done; exit 4"]))
            .Ok("run -d").Stdout.Trim();
        try
        {
            await E2E.EventuallyAsync(() => daemon.RunDockerAsync(["logs", id]), r => r.Stdout.Contains("line 2\n", StringComparison.Ordinal),
                TimeSpan.FromSeconds(10), "the container's second log line");
            await daemon.Kill9Async();
            // The container prints the rest and exits while only its monitor is there to log it.
            await Task.Delay(TimeSpan.FromSeconds(3));
            await daemon.RestartAsync();

            Assert.Equal("4\n", (await daemon.RunDockerAsync(["wait", id], timeout: TimeSpan.FromSeconds(30))).Ok("wait").Stdout);
            var logs = (await daemon.RunDockerAsync(["logs", id])).Ok("logs");
            Assert.Equal(string.Concat(Enumerable.Range(1, 40).Select(i => $"line {i}\n")), logs.Stdout);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(id);
        }
    }
}
