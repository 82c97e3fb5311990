using System.Text;
using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.Images;
using Berth.Distribution.Auth;

namespace Berth.Api.Endpoints;

/// <summary>
/// Decodes <c>X-Registry-Auth</c>: base64url (or standard base64, padded or not) of an AuthConfig JSON. The CLI sends <c>e30=</c>
/// (<c>{}</c>) when anonymous; an undecodable header is ignored, as moby's pull does.
/// </summary>
internal static class RegistryAuthHeader
{
    public static RegistryCredentials? Decode(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        var s = header.Trim().Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=');
        try
        {
            return FromConfig(JsonSerializer.Deserialize(Convert.FromBase64String(s), ApiJsonContext.Default.AuthConfig));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    public static RegistryCredentials? FromConfig(AuthConfig? c)
    {
        if (c is null) return null;
        string? user = c.Username, password = c.Password;
        if (string.IsNullOrEmpty(user) && !string.IsNullOrEmpty(c.Auth))
        {
            try
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(c.Auth));
                var colon = text.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0) (user, password) = (text[..colon], text[(colon + 1)..]);
            }
            catch (FormatException)
            {
                // A malformed "auth" field is treated as absent.
            }
        }
        if (string.IsNullOrEmpty(user) && string.IsNullOrEmpty(c.IdentityToken) && string.IsNullOrEmpty(c.RegistryToken)) return null;
        return new RegistryCredentials(user, password, NullIfEmpty(c.IdentityToken), NullIfEmpty(c.RegistryToken));
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
