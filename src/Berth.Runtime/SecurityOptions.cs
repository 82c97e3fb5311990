namespace Berth.Runtime;

/// <summary>SeccompProfilePath: null = Berth's built-in equivalent of Docker's default profile, "unconfined" = none, else a Docker-format profile file.</summary>
public sealed record SecurityOptions(
    bool Privileged = false,
    IReadOnlyList<string>? CapAdd = null,
    IReadOnlyList<string>? CapDrop = null,
    bool NoNewPrivileges = false,
    string? SeccompProfilePath = null,
    bool ReadonlyRootfs = false,
    IReadOnlyList<string>? MaskedPaths = null,
    IReadOnlyList<string>? ReadonlyPaths = null);
