using Berth.Core.Ids;

namespace Berth.Distribution;

/// <summary>What a pull leaves behind: the manifest digest (of the reference: an index's when it was one), the config, and the
/// layers (blob digests and diff ids, in order), all verified, stored and unpacked.</summary>
public sealed record PulledImage(Digest ManifestDigest, Digest ConfigDigest, string ConfigJson, IReadOnlyList<string> DiffIds,
    IReadOnlyList<string> LayerDigests, long Size);
