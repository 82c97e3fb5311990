using Berth.Core.Ids;
using Berth.Storage.Archive;

namespace Berth.Distribution;

/// <summary>A local image as a push needs it: the config blob and each layer's stored blob, in order (base first).</summary>
public sealed record PushImage(Digest ConfigDigest, long ConfigSize, IReadOnlyList<PushLayer> Layers);

/// <summary>One layer to push: its stored blob (plain, gzip or zstd tar, <see cref="Compression"/> says which) and diff id.</summary>
public sealed record PushLayer(Digest BlobDigest, string DiffId, long Size, LayerCompression Compression);
