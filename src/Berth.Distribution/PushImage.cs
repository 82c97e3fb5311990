using Berth.Core.Ids;

namespace Berth.Distribution;

/// <summary>A local image as a push needs it: the config blob and each layer's stored blob, in order (base first).</summary>
public sealed record PushImage(Digest ConfigDigest, long ConfigSize, IReadOnlyList<PushLayer> Layers);

/// <summary>One layer to push: its stored blob (gzip or plain tar, <see cref="Compressed"/> says which) and diff id.</summary>
public sealed record PushLayer(Digest BlobDigest, string DiffId, long Size, bool Compressed);
