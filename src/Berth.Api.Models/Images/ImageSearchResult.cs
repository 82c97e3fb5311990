using System.Text.Json.Serialization;

namespace Berth.Api.Models.Images;

/// <summary>An entry of <c>GET /images/search</c>, in moby's field order and snake_case names.</summary>
public sealed class ImageSearchResult
{
    [JsonPropertyName("star_count")] public int StarCount { get; set; }
    [JsonPropertyName("is_official")] public bool IsOfficial { get; set; }
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    /// <summary>Deprecated by Docker: always false in answers.</summary>
    [JsonPropertyName("is_automated")] public bool IsAutomated { get; set; }
    [JsonPropertyName("description")] public string Description { get; set; } = "";
}
