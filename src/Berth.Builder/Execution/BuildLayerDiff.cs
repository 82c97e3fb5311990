namespace Berth.Builder.Execution;

/// <summary>A committed layer: its diff id, the stored blob's digest and the unpacked size.</summary>
public sealed record BuildLayerDiff(string DiffId, string BlobDigest, long Size);
