using System.Text.Json.Serialization;

namespace Berth.Api.Models.Containers;

/// <summary>Block I/O per device; cgroup v2 fills only io_service_bytes_recursive and io_serviced_recursive (ops read/write).</summary>
public sealed class BlkioStats
{
    [JsonPropertyName("io_service_bytes_recursive")] public List<BlkioEntry>? IoServiceBytesRecursive { get; set; }
    [JsonPropertyName("io_serviced_recursive")] public List<BlkioEntry>? IoServicedRecursive { get; set; }
    [JsonPropertyName("io_queue_recursive")] public List<BlkioEntry>? IoQueueRecursive { get; set; }
    [JsonPropertyName("io_service_time_recursive")] public List<BlkioEntry>? IoServiceTimeRecursive { get; set; }
    [JsonPropertyName("io_wait_time_recursive")] public List<BlkioEntry>? IoWaitTimeRecursive { get; set; }
    [JsonPropertyName("io_merged_recursive")] public List<BlkioEntry>? IoMergedRecursive { get; set; }
    [JsonPropertyName("io_time_recursive")] public List<BlkioEntry>? IoTimeRecursive { get; set; }
    [JsonPropertyName("sectors_recursive")] public List<BlkioEntry>? SectorsRecursive { get; set; }
}
