using System.Text.Json.Serialization;

namespace Berth.Api.Models.Containers;

/// <summary>CFS throttling counters of the cgroup.</summary>
public sealed class ThrottlingData
{
    [JsonPropertyName("periods")] public ulong Periods { get; set; }
    [JsonPropertyName("throttled_periods")] public ulong ThrottledPeriods { get; set; }
    [JsonPropertyName("throttled_time")] public ulong ThrottledTime { get; set; }
}
