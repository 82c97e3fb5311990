using System.Text.Json.Serialization;

namespace Berth.Api.Models.Containers;

/// <summary>One device and operation of a blkio list.</summary>
public sealed class BlkioEntry
{
    [JsonPropertyName("major")] public ulong Major { get; set; }
    [JsonPropertyName("minor")] public ulong Minor { get; set; }
    [JsonPropertyName("op")] public string Op { get; set; } = "";
    [JsonPropertyName("value")] public ulong Value { get; set; }
}
