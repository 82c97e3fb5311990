using System.Text.Json;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.EndToEnd;

/// <summary>GET /containers/{id}/stats through the real docker CLI and our own.</summary>
[Collection(DaemonCollection.Name)]
public sealed class StatsTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker)]
    public async Task DockerStatsNoStream_RunningContainer_ShowsMemoryCpuAndPids()
    {
        var name = E2E.UniqueName("stats");
        try
        {
            // A little work so memory and CPU are clearly non-zero.
            (await daemon.RunDockerAsync(["run", "-d", "--name", name, "-m", "64m", "busybox", "sh", "-c", "dd if=/dev/zero of=/dev/shm/x bs=1M count=8 2>/dev/null; exec sleep 1000"])).Ok("run -d");
            await Task.Delay(500);
            var r = (await daemon.RunDockerAsync(["stats", "--no-stream", "--format", "{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}|{{.MemPerc}}|{{.PIDs}}|{{.NetIO}}|{{.BlockIO}}", name])).Ok("docker stats");
            var f = r.Stdout.Trim().Split('|');
            Assert.Equal(name, f[0]);
            Assert.EndsWith("%", f[1], StringComparison.Ordinal);
            var mem = f[2].Split(" / ");
            Assert.DoesNotContain(mem[0], new[] { "0B", "--" });
            Assert.Equal("64MiB", mem[1]);
            Assert.NotEqual("0.00%", f[3]);
            Assert.Equal("1", f[4]);

            var table = (await daemon.RunBerthAsync(["stats", "--no-stream", name])).Ok("berth stats");
            var lines = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("CONTAINER ID", lines[0], StringComparison.Ordinal);
            Assert.Contains(name, lines[1], StringComparison.Ordinal);
            Assert.Contains("/ 64MiB", lines[1], StringComparison.Ordinal);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task StatsApi_StreamAndOneShot_HaveTheEngineShape()
    {
        var name = E2E.UniqueName("statsapi");
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", name, "busybox", "sleep", "1000"])).Ok("run -d");
            using var http = daemon.CreateApiClient(TimeSpan.FromSeconds(20));
            using var oneShot = JsonDocument.Parse(await http.GetStringAsync($"/containers/{name}/stats?stream=0&one-shot=1"));
            var o = oneShot.RootElement;
            Assert.Equal("/" + name, o.GetProperty("name").GetString());
            Assert.True(o.GetProperty("memory_stats").GetProperty("usage").GetUInt64() > 0);
            Assert.True(o.GetProperty("cpu_stats").GetProperty("system_cpu_usage").GetUInt64() > 0);
            Assert.Equal(0UL, o.GetProperty("precpu_stats").GetProperty("cpu_usage").GetProperty("total_usage").GetUInt64());

            // Streaming: two objects about a second apart, the second one's precpu is the first one's cpu.
            await using var stream = await http.GetStreamAsync($"/containers/{name}/stats");
            using var reader = new StreamReader(stream);
            using var first = JsonDocument.Parse((await reader.ReadLineAsync())!);
            using var second = JsonDocument.Parse((await reader.ReadLineAsync())!);
            Assert.Equal(first.RootElement.GetProperty("read").GetString(), second.RootElement.GetProperty("preread").GetString());
            Assert.Equal(first.RootElement.GetProperty("cpu_stats").GetProperty("system_cpu_usage").GetUInt64(),
                second.RootElement.GetProperty("precpu_stats").GetProperty("system_cpu_usage").GetUInt64());
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }
}
