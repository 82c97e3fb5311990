using System.Text.Json.Nodes;
using Berth.Cli.Formatting;

namespace Berth.Tests.Cli;

public sealed class StatsRowsTests
{
    [Fact]
    public void Row_UsesTheDockerCliFormulas()
    {
        var sample = JsonNode.Parse("""
            {"read":"2026-01-01T00:00:01Z","pids_stats":{"current":3},
             "cpu_stats":{"cpu_usage":{"total_usage":300000000},"system_cpu_usage":2000000000,"online_cpus":2},
             "precpu_stats":{"cpu_usage":{"total_usage":100000000},"system_cpu_usage":1000000000},
             "memory_stats":{"usage":10485760,"limit":104857600,"stats":{"total_inactive_file":5242880}},
             "networks":{"eth0":{"rx_bytes":1500,"tx_bytes":2000}},
             "blkio_stats":{"io_service_bytes_recursive":[{"major":8,"minor":0,"op":"Read","value":4096},{"major":8,"minor":0,"op":"Write","value":1000000}]}}
            """);
        var row = StatsRows.Row("web", "0123456789abcdef", "/web", sample, trunc: true);
        Assert.Equal("0123456789ab", row["ID"]!.GetValue<string>());
        Assert.Equal("web", row["Name"]!.GetValue<string>());
        Assert.Equal("40.00%", row["CPUPerc"]!.GetValue<string>());
        Assert.Equal("5MiB / 100MiB", row["MemUsage"]!.GetValue<string>());
        Assert.Equal("5.00%", row["MemPerc"]!.GetValue<string>());
        Assert.Equal("1.5kB / 2kB", row["NetIO"]!.GetValue<string>());
        Assert.Equal("4.1kB / 1MB", row["BlockIO"]!.GetValue<string>());
        Assert.Equal("3", row["PIDs"]!.GetValue<string>());
    }

    [Fact]
    public void Row_NoSample_ShowsPlaceholders() =>
        Assert.Equal("--", StatsRows.Row("x", "x", "/x", null, true)["CPUPerc"]!.GetValue<string>());

    [Fact]
    public void BinarySize_MatchesGoUnits() => Assert.Equal("1.5GiB", StatsRows.BinarySize(1.5 * 1024 * 1024 * 1024));
}
