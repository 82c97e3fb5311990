using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.Cli.Formatting;

/// <summary>The rows of <c>docker stats</c>, computed from a stats sample with the CLI's own formulas (cli/command/container/stats_helpers.go).</summary>
internal static class StatsRows
{
    public const string DefaultTable = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";
    private static readonly string[] BinaryUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

    public static JsonObject Header() => new()
    {
        ["ID"] = "CONTAINER ID",
        ["Container"] = "CONTAINER",
        ["Name"] = "NAME",
        ["CPUPerc"] = "CPU %",
        ["MemUsage"] = "MEM USAGE / LIMIT",
        ["MemPerc"] = "MEM %",
        ["NetIO"] = "NET I/O",
        ["BlockIO"] = "BLOCK I/O",
        ["PIDs"] = "PIDS",
    };

    /// <summary>A row; <paramref name="s"/> null (no sample yet, or an error) renders docker's <c>--</c> placeholders.</summary>
    public static JsonObject Row(string container, string id, string name, JsonNode? s, bool trunc)
    {
        var row = new JsonObject
        {
            ["Container"] = container,
            ["ID"] = trunc && id.Length > 12 ? id[..12] : id,
            ["Name"] = name.TrimStart('/'),
            ["CPUPerc"] = "--",
            ["MemUsage"] = "-- / --",
            ["MemPerc"] = "--",
            ["NetIO"] = "--",
            ["BlockIO"] = "--",
            ["PIDs"] = "--",
        };
        if (s is null || s["read"]?.GetValue<string>() is null or "0001-01-01T00:00:00Z") return row;
        var mem = s["memory_stats"];
        var usage = U(mem?["usage"]);
        var stats = mem?["stats"];
        // cgroup v1 counts page cache in usage; the CLI subtracts what is inactive (total_inactive_file, else inactive_file).
        if (stats?["total_inactive_file"] is { } tif && U(tif) < usage) usage -= U(tif);
        else if (stats?["inactive_file"] is { } inf && U(inf) < usage) usage -= U(inf);
        var limit = U(mem?["limit"]);
        ulong rx = 0, tx = 0, read = 0, write = 0;
        if (s["networks"] is JsonObject nets)
            foreach (var (_, n) in nets) { rx += U(n?["rx_bytes"]); tx += U(n?["tx_bytes"]); }
        if (s["blkio_stats"]?["io_service_bytes_recursive"] is JsonArray io)
        {
            foreach (var e in io)
            {
                var op = e?["op"]?.GetValue<string>() ?? "";
                if (op.Length == 0) continue;
                if (op[0] is 'r' or 'R') read += U(e?["value"]);
                else if (op[0] is 'w' or 'W') write += U(e?["value"]);
            }
        }
        row["CPUPerc"] = Percent(CpuPercent(s));
        row["MemUsage"] = $"{BinarySize(usage)} / {BinarySize(limit)}";
        row["MemPerc"] = Percent(limit > 0 ? usage * 100.0 / limit : 0);
        row["NetIO"] = $"{HumanUnits.Size(rx)} / {HumanUnits.Size(tx)}";
        row["BlockIO"] = $"{HumanUnits.Size(read)} / {HumanUnits.Size(write)}";
        row["PIDs"] = U(s["pids_stats"]?["current"]).ToString(CultureInfo.InvariantCulture);
        return row;
    }

    /// <summary>(Δ container CPU / Δ host CPU) × online CPUs × 100, 0 unless both deltas are positive.</summary>
    internal static double CpuPercent(JsonNode s)
    {
        var cpu = s["cpu_stats"];
        var pre = s["precpu_stats"];
        var cpuDelta = (double)U(cpu?["cpu_usage"]?["total_usage"]) - U(pre?["cpu_usage"]?["total_usage"]);
        var systemDelta = (double)U(cpu?["system_cpu_usage"]) - U(pre?["system_cpu_usage"]);
        double online = U(cpu?["online_cpus"]);
        if (online == 0 && cpu?["cpu_usage"]?["percpu_usage"] is JsonArray percpu) online = percpu.Count;
        return systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * online * 100 : 0;
    }

    private static string Percent(double v) => v.ToString("0.00", CultureInfo.InvariantCulture) + "%";

    /// <summary>go-units BytesSize: binary units, %.4g.</summary>
    internal static string BinarySize(double size)
    {
        var i = 0;
        while (size >= 1024 && i < BinaryUnits.Length - 1)
        {
            size /= 1024;
            i++;
        }
        return HumanUnits.FormatG(size, 4) + BinaryUnits[i];
    }

    private static ulong U(JsonNode? n) => n is JsonValue v && v.TryGetValue<ulong>(out var u) ? u : n is JsonValue d && d.TryGetValue<double>(out var x) && x > 0 ? (ulong)x : 0;
}
