using System.Text.Json.Serialization;

namespace Berth.Distribution.Search;

/// <summary>The registry v1 search answer (<c>GET /v1/search?q=&amp;n=</c>), as Docker Hub's index and <c>berth registry serve</c> send it.</summary>
public sealed class SearchResults
{
    [JsonPropertyName("query")] public string Query { get; set; } = "";
    [JsonPropertyName("num_results")] public int NumResults { get; set; }
    [JsonPropertyName("results")] public List<SearchResult> Results { get; set; } = [];
}

public sealed class SearchResult
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("description")] public string Description { get; set; } = "";
    [JsonPropertyName("star_count")] public int StarCount { get; set; }
    [JsonPropertyName("is_official")] public bool IsOfficial { get; set; }
    [JsonPropertyName("is_automated")] public bool IsAutomated { get; set; }
}
