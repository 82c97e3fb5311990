using System.Text.Json.Serialization;

namespace Berth.Api.Models.Images;

/// <summary>Registry credentials: the <c>POST /auth</c> body and the decoded <c>X-Registry-Auth</c> header (lower-case keys, as moby's).</summary>
public sealed class AuthConfig
{
    [JsonPropertyName("username")] public string? Username { get; set; }
    [JsonPropertyName("password")] public string? Password { get; set; }
    [JsonPropertyName("auth")] public string? Auth { get; set; }
    [JsonPropertyName("email")] public string? Email { get; set; }
    [JsonPropertyName("serveraddress")] public string? ServerAddress { get; set; }
    [JsonPropertyName("identitytoken")] public string? IdentityToken { get; set; }
    [JsonPropertyName("registrytoken")] public string? RegistryToken { get; set; }
}

/// <summary><c>POST /auth</c> answer: <c>{"Status":"Login Succeeded","IdentityToken":""}</c>.</summary>
public sealed class AuthResponse
{
    public string Status { get; set; } = "Login Succeeded";
    public string IdentityToken { get; set; } = "";
}
