using System.Text.Json.Serialization;

namespace Berth.Api.Models.Containers;

/// <summary>One sample of <c>GET /containers/{id}/stats</c> (swagger ContainerStatsResponse, snake_case on the wire).</summary>
public sealed class ContainerStats
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("read")] public string Read { get; set; } = "0001-01-01T00:00:00Z";
    [JsonPropertyName("preread")] public string PreRead { get; set; } = "0001-01-01T00:00:00Z";
    [JsonPropertyName("num_procs")] public int NumProcs { get; set; }
    [JsonPropertyName("pids_stats")] public PidsStats PidsStats { get; set; } = new();
    [JsonPropertyName("blkio_stats")] public BlkioStats BlkioStats { get; set; } = new();
    [JsonPropertyName("storage_stats")] public Dictionary<string, long> StorageStats { get; set; } = [];
    [JsonPropertyName("cpu_stats")] public CpuStats CpuStats { get; set; } = new();
    [JsonPropertyName("precpu_stats")] public CpuStats PreCpuStats { get; set; } = new();
    [JsonPropertyName("memory_stats")] public MemoryStats MemoryStats { get; set; } = new();
    [JsonPropertyName("networks")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, NetworkStats>? Networks { get; set; }
}
