using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.EndToEnd;

/// <summary>json-file logs rotate by max-size/max-file and `docker logs` still returns every retained line, in order.</summary>
[Collection(DaemonCollection.Name)]
public sealed class LogRotationTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker)]
    public async Task Logs_OverMaxSize_RotateAndRetainedLinesStayReadable()
    {
        var name = E2E.UniqueName("rot");
        try
        {
            // ~60 KB/s of numbered lines for ~4 s against a 32 KB limit: several rotations happen.
            const string script = "i=0; while [ $i -lt 4000 ]; do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); [ $((i % 60)) -eq 0 ] && usleep 60000; done; true";
            (await daemon.RunDockerAsync(["run", "--name", name, "--log-opt", "max-size=32k", "--log-opt", "max-file=3", "busybox", "sh", "-c", script],
                timeout: TimeSpan.FromSeconds(60))).Ok("chatty container");
            var logs = (await daemon.RunDockerAsync(["logs", name], timeout: TimeSpan.FromSeconds(30))).Ok("docker logs");
            var lines = logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains("line-3999-", lines[^1], StringComparison.Ordinal);
            Assert.DoesNotContain(lines, l => l.StartsWith("line-0-", StringComparison.Ordinal)); // rotated away
            // What is retained is one contiguous run ending at the last line.
            var first = int.Parse(lines[0].Split('-')[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(4000 - first, lines.Length);
            Assert.True(lines.Length * 64 <= 3 * 32 * 1024 + 32 * 1024, $"kept {lines.Length} lines, more than max-file × max-size allows");
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }
}
