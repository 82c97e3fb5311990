namespace Berth.Registry;

/// <summary>How <c>berth registry serve</c> runs: its storage root and, optionally, htpasswd users with Basic or token auth.</summary>
public sealed record RegistryServerOptions(string Root)
{
    /// <summary>An htpasswd file (bcrypt); without it every request is allowed.</summary>
    public string? HtpasswdPath { get; init; }

    /// <summary>With htpasswd: answer with a Bearer challenge and issue tokens at <c>/token</c> (Docker's token flow) instead of Basic.</summary>
    public bool TokenAuth { get; init; }

    public string Realm { get; init; } = "Berth Registry";

    /// <summary>Served over TLS (<c>--tls-cert</c>/<c>--tls-key</c>): the token realm is announced as https.</summary>
    public bool Tls { get; init; }

    /// <summary>Answer pushes and deletes with 405 UNSUPPORTED.</summary>
    public bool ReadOnly { get; init; }
}
