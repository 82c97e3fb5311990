namespace Berth.Storage;

/// <summary>
/// An image: <c>Id</c> is <c>sha256:&lt;config digest&gt;</c>, <c>ConfigJson</c> the raw config blob, <c>LayerDigests</c> the stored
/// blob digest of each layer (compressed digest, or the diff id when stored uncompressed), in the order of <c>DiffIds</c>.
/// </summary>
public sealed record ImageRecord(string Id, string ConfigJson, IReadOnlyList<string> DiffIds, IReadOnlyList<string> LayerDigests, string? ParentId,
    DateTimeOffset Created, long Size);
