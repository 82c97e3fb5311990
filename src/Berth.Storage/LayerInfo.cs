namespace Berth.Storage;

/// <summary>An unpacked layer: its diff id (sha256 of the uncompressed tar), chain id and content size in bytes.</summary>
public sealed record LayerInfo(string DiffId, string ChainId, long Size);
