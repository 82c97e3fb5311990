using System.Text.Json.Serialization;

namespace Berth.Distribution.Auth;

/// <summary>A token server's answer; Docker Hub sends both fields, other servers one of them.</summary>
public sealed class TokenResponse
{
    [JsonPropertyName("token")] public string? Token { get; set; }
    [JsonPropertyName("access_token")] public string? AccessToken { get; set; }
    [JsonPropertyName("expires_in")] public int? ExpiresIn { get; set; }
    [JsonPropertyName("issued_at")] public string? IssuedAt { get; set; }
}
