using System.Text.Json.Serialization;

namespace Berth.Distribution.Manifests;

/// <summary>The part of an image config a pull needs: the diff ids of its layers, in order.</summary>
public sealed class ImageConfigRootfs
{
    [JsonPropertyName("rootfs")] public RootfsSection? Rootfs { get; set; }

    public sealed class RootfsSection
    {
        [JsonPropertyName("type")] public string? Type { get; set; }
        [JsonPropertyName("diff_ids")] public List<string>? DiffIds { get; set; }
    }
}
