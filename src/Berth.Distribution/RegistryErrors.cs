using System.Text.Json.Serialization;

namespace Berth.Distribution;

/// <summary>The Distribution spec's error body: <c>{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}</c>.</summary>
public sealed class RegistryErrors
{
    [JsonPropertyName("errors")] public List<RegistryError> Errors { get; set; } = [];

    public sealed class RegistryError
    {
        [JsonPropertyName("code")] public string Code { get; set; } = "";
        [JsonPropertyName("message")] public string Message { get; set; } = "";
        [JsonPropertyName("detail")] public System.Text.Json.JsonElement? Detail { get; set; }
    }
}
