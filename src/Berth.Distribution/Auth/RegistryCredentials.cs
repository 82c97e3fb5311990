namespace Berth.Distribution.Auth;

/// <summary>What a client gave for one registry (<c>X-Registry-Auth</c>, <c>/auth</c>): a user and password, or a token.</summary>
public sealed record RegistryCredentials(string? Username, string? Password, string? IdentityToken = null, string? RegistryToken = null)
{
    public static readonly RegistryCredentials Anonymous = new(null, null);

    public bool HasBasic => !string.IsNullOrEmpty(Username);
}
