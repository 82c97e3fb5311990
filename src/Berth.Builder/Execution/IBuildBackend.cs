using Berth.Api.Models.Containers;

namespace Berth.Builder.Execution;

/// <summary>
/// What the classic builder needs from the engine: local images, containers for RUN, writable layers for COPY, image records,
/// the build cache (a key derived from parent image and step to the image that step made), tags and safe tar extraction.
/// </summary>
public interface IBuildBackend
{
    /// <summary>A local image by id, short id or reference; null when there is none.</summary>
    BuildImage? FindImage(string nameOrId);

    /// <summary>
    /// Pulls <paramref name="reference"/> again from its registry (<c>--pull</c>) and returns the image it now names; progress
    /// lines (Docker's pull statuses) go to <paramref name="progress"/>. Throws when the pull fails.
    /// </summary>
    Task<BuildImage> PullAsync(string reference, Func<string, Task> progress, CancellationToken ct);

    Task<IBuildLayer> CreateLayerAsync(BuildImage parent, CancellationToken ct);

    /// <summary>A writable copy of an image's root to read from (COPY --from); disposing it cleans up.</summary>
    Task<IBuildLayer> MountImageAsync(BuildImage image, CancellationToken ct);

    Task<IBuildContainer> CreateContainerAsync(BuildImage image, ContainerConfig config, BuildHostOptions host, CancellationToken ct);

    /// <summary>Stores the config blob and the image record (not tagged). The id is the config's digest.</summary>
    Task<BuildImage> StoreImageAsync(byte[] configJson, IReadOnlyList<string> diffIds, IReadOnlyList<string> layerDigests, string? parentId, CancellationToken ct);

    /// <summary>The image a step with this cache key made before, if it still exists.</summary>
    BuildImage? LookupCache(string cacheKey);

    void StoreCache(string cacheKey, string imageId);

    /// <summary>Points a reference (<c>name[:tag]</c>) at an image; returns the familiar form (<c>name:tag</c>).</summary>
    string Tag(string imageId, string reference);

    /// <summary>Unpacks a tar (plain or compressed) into a directory without ever writing outside it.</summary>
    Task ExtractTarAsync(Stream tar, string directory, CancellationToken ct);

    /// <summary>
    /// Unpacks the build context tar like <see cref="ExtractTarAsync"/> and returns moby's tarsum of each entry as the client
    /// sent it (cleaned name to hex sha256), which names COPY/ADD sources in the cache key and the history.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>> ExtractContextAsync(Stream tar, string directory, CancellationToken ct);

    /// <summary>The persistent directory behind <c>RUN --mount=type=cache,id=…</c>, shared by every build on this engine.</summary>
    string CacheMountDirectory(string id);

    /// <summary>A directory for scratch files of one build.</summary>
    string CreateTempDirectory();
}
