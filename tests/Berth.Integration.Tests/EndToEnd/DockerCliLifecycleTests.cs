using System.Text.RegularExpressions;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.EndToEnd;

/// <summary>A detached container through its whole life: exec, logs -f, stop, rm.</summary>
[Collection(DaemonCollection.Name)]
public sealed partial class DockerCliLifecycleTests(DaemonFixture daemon)
{
    private const string Counter = "i=0; while true; do echo line$i; i=$((i+1)); sleep 0.2; done";

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex FullId();

    [RootFact(E2E.Docker)]
    public async Task Detached_ExecLogsStopRm_EachWorks()
    {
        var run = (await daemon.RunDockerAsync(["run", "-d", "busybox", "sh", "-c", Counter])).Ok("docker run -d");
        var id = run.Stdout.Trim();
        Assert.Matches(FullId(), id);
        try
        {
            var exec = (await daemon.RunDockerAsync(["exec", id, "echo", "from-exec"])).Ok("docker exec");
            Assert.Equal("from-exec\n", exec.Stdout);

            await using (var logs = daemon.StartDocker(["logs", "-f", id]))
            {
                var lines = new List<string>();
                while (lines.Count < 3)
                {
                    var line = await logs.ReadLineAsync(TimeSpan.FromSeconds(10));
                    Assert.True(line is not null, $"docker logs -f ended after {lines.Count} lines; stderr: {logs.Stderr}");
                    lines.Add(line);
                }

                Assert.Equal(["line0", "line1", "line2"], lines);
                Assert.False(logs.HasExited, "docker logs -f must keep following a running container");
            }

            var stop = (await daemon.RunDockerAsync(["stop", "-t", "2", id])).Ok("docker stop");
            Assert.Equal(id, stop.Stdout.Trim());
            var state = (await daemon.RunDockerAsync(["inspect", "-f", "{{.State.Running}}", id])).Ok("inspect after stop");
            Assert.Equal("false\n", state.Stdout);

            (await daemon.RunDockerAsync(["rm", id])).Ok("docker rm");
            var gone = await daemon.RunDockerAsync(["inspect", id]);
            Assert.True(gone.ExitCode == 1, $"inspect after rm should fail: {gone}");
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(id);
        }
    }
}
