using System.Text.Json.Serialization;

namespace Berth.Distribution.Manifests;

/// <summary>An OCI content descriptor: what a manifest says about a blob it references.</summary>
public sealed class Descriptor
{
    [JsonPropertyName("mediaType")] public string MediaType { get; set; } = "";
    [JsonPropertyName("digest")] public string Digest { get; set; } = "";
    [JsonPropertyName("size")] public long Size { get; set; }
    [JsonPropertyName("urls")] public List<string>? Urls { get; set; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
    [JsonPropertyName("platform")] public Platform? Platform { get; set; }
}
