using System.Text.Json.Serialization;

namespace Berth.Api.Models.Containers;

/// <summary>pids cgroup: current tasks and limit (0 = none).</summary>
public sealed class PidsStats
{
    [JsonPropertyName("current")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Current { get; set; }
    [JsonPropertyName("limit")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Limit { get; set; }
}
