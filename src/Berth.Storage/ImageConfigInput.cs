namespace Berth.Storage;

/// <summary>
/// What goes into a new image's config (<c>docker import --change</c>, the busybox builder). <c>Created</c> defaults to now;
/// pass a fixed value for a reproducible image id.
/// </summary>
public sealed record ImageConfigInput(IReadOnlyList<string>? Cmd = null, IReadOnlyList<string>? Entrypoint = null, IReadOnlyList<string>? Env = null,
    string? WorkingDir = null, string? User = null, IReadOnlyDictionary<string, string>? Labels = null, string? Comment = null, string? CreatedBy = null,
    IReadOnlyList<string>? ExposedPorts = null, IReadOnlyList<string>? Volumes = null, DateTimeOffset? Created = null);
