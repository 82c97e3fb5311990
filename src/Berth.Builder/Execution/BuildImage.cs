namespace Berth.Builder.Execution;

/// <summary>
/// An image as the builder sees it: <c>Id</c> is <c>sha256:&lt;config digest&gt;</c> (empty for <c>scratch</c>), the raw config,
/// the layer diff ids and stored blob digests (same order) and the image it was built on.
/// </summary>
public sealed record BuildImage(string Id, string ConfigJson, IReadOnlyList<string> DiffIds, IReadOnlyList<string> LayerDigests, string? ParentId)
{
    public static BuildImage Scratch { get; } = new("", "{}", [], [], null);
}
