using System.Text.Json.Serialization;

namespace Berth.Distribution.Manifests;

/// <summary>
/// An image manifest (config + layers) or an index / manifest list (manifests), Docker schema2 or OCI: one shape reads both,
/// and <see cref="MediaType"/> (or the Content-Type it came with) says which.
/// </summary>
public sealed class ManifestDocument
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; set; } = 2;
    [JsonPropertyName("mediaType")] public string? MediaType { get; set; }
    [JsonPropertyName("config")] public Descriptor? Config { get; set; }
    [JsonPropertyName("layers")] public List<Descriptor>? Layers { get; set; }
    [JsonPropertyName("manifests")] public List<Descriptor>? Manifests { get; set; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
}
