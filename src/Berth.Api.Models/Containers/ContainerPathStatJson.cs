using System.Text.Json.Serialization;

namespace Berth.Api.Models.Containers;

/// <summary>The JSON inside <c>X-Docker-Container-Path-Stat</c> (lower-case names, <c>mode</c> a Go os.FileMode).</summary>
public sealed class ContainerPathStatJson
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("size")] public long Size { get; set; }
    [JsonPropertyName("mode")] public uint Mode { get; set; }
    [JsonPropertyName("mtime")] public string Mtime { get; set; } = "";
    [JsonPropertyName("linkTarget")] public string LinkTarget { get; set; } = "";
}
