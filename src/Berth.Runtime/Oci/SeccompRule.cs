namespace Berth.Runtime.Oci;

/// <summary>
/// One rule of a Docker-format profile. Includes/excludes select the rule by the container's capabilities, the host
/// architecture (Go names: amd64, arm64…) and the kernel version, as moby's profiles package does.
/// </summary>
internal sealed record SeccompRule(
    IReadOnlyList<string> Names,
    string Action,
    int? ErrnoRet = null,
    IReadOnlyList<SeccompArg>? Args = null,
    IReadOnlyList<string>? IncludeCaps = null,
    IReadOnlyList<string>? ExcludeCaps = null,
    IReadOnlyList<string>? IncludeArches = null,
    IReadOnlyList<string>? ExcludeArches = null,
    string? MinKernel = null);
