using Berth.Api.Models.Containers;
using Berth.Builder.Execution;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Core.Ids;
using Berth.Services.Containers;
using Berth.Services.Events;
using Berth.Services.Images;
using Berth.Storage;

namespace Berth.Services.Build;

/// <summary>The engine side of the classic builder: images, containers and layers through the existing services and stores.</summary>
public sealed class BuildBackend(ImageService images, ContainerService containers, ImageCommitter committer, LayerStore layers, MetadataStore meta,
    EventHub events, string tempRoot, TimeProvider? time = null) : IBuildBackend
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Where <c>--pull</c> pulls from; null leaves builds local-only.</summary>
    public ImageDistributionService? Distribution { get; init; }

    public async Task<BuildImage> PullAsync(string reference, Func<string, Task> progress, CancellationToken ct)
    {
        if (Distribution is null) throw new BuildFailedException($"cannot pull {reference}: this engine has no registry client");
        if (!ImageReference.TryParse(reference, out var parsed)) throw new BuildFailedException($"invalid reference format: {reference}");
        var lines = new List<string>();
        // The pull's JSON messages become plain lines, as the classic builder prints them ("Digest: …", "Status: …").
        await Distribution.PullAsync(parsed.WithDefaultTag().ToString(), null, null, null, bytes =>
        {
            using var doc = System.Text.Json.JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (root.TryGetProperty("progressDetail", out var detail) && detail.EnumerateObject().Any()) return;
            if (!root.TryGetProperty("status", out var status)) return;
            var id = root.TryGetProperty("id", out var i) ? i.GetString() + ": " : "";
            lock (lines) lines.Add(id + status.GetString());
        }, ct);
        foreach (var line in lines) await progress(line + "\n");
        return FindImage(reference) ?? throw new BuildFailedException($"pull of {reference} left no image");
    }

    public BuildImage? FindImage(string nameOrId) => images.TryResolve(nameOrId) is { } r ? ToBuildImage(r) : null;

    public Task<IBuildLayer> CreateLayerAsync(BuildImage parent, CancellationToken ct) => Task.FromResult<IBuildLayer>(BuildLayer.Create(layers, committer, parent));

    public Task<IBuildLayer> MountImageAsync(BuildImage image, CancellationToken ct) => Task.FromResult<IBuildLayer>(BuildLayer.Create(layers, committer, image));

    public async Task<IBuildContainer> CreateContainerAsync(BuildImage image, ContainerConfig c, BuildHostOptions host, CancellationToken ct)
    {
        var request = new ContainerCreateRequest
        {
            User = c.User,
            Env = c.Env,
            Cmd = c.Cmd,
            Healthcheck = c.Healthcheck,
            Image = image.Id,
            Volumes = c.Volumes,
            WorkingDir = c.WorkingDir,
            Entrypoint = c.Entrypoint,
            Labels = c.Labels,
            StopSignal = c.StopSignal,
            Shell = c.Shell,
            ExposedPorts = c.ExposedPorts,
            AttachStdout = true,
            AttachStderr = true,
            HostConfig = new HostConfig
            {
                NetworkMode = string.IsNullOrEmpty(host.NetworkMode) || host.NetworkMode == "default" ? null : host.NetworkMode,
                ExtraHosts = host.ExtraHosts?.ToList(),
                Memory = host.Memory,
                MemorySwap = host.MemorySwap,
                CpuShares = host.CpuShares,
                CpuPeriod = host.CpuPeriod,
                CpuQuota = host.CpuQuota,
                CpusetCpus = host.CpusetCpus,
                ShmSize = host.ShmSize,
                Binds = host.Binds.Count > 0 ? [.. host.Binds] : null,
                Tmpfs = host.Tmpfs.Count > 0 ? new Dictionary<string, string>(host.Tmpfs) : null,
            },
        };
        var created = await containers.CreateAsync(null, request, ct);
        // Binds are "source:target[:options]"; the build's own sources never contain a colon (temp and cache dirs).
        var targets = host.Binds.Select(b => b.Split(':')[1]).Concat(host.Tmpfs.Keys).ToList();
        return new BuildContainer(containers, layers, committer, created.Id, targets);
    }

    public async Task<BuildImage> StoreImageAsync(byte[] configJson, IReadOnlyList<string> diffIds, IReadOnlyList<string> layerDigests, string? parentId, CancellationToken ct)
    {
        var record = await committer.StoreImageAsync(configJson, diffIds, layerDigests, parentId, _time.GetUtcNow(), ct);
        return ToBuildImage(record);
    }

    public BuildImage? LookupCache(string cacheKey) =>
        meta.GetBuildCache(cacheKey) is { } id && meta.GetImage(id) is { } image && LayersPresent(image) ? ToBuildImage(image) : null;

    public void StoreCache(string cacheKey, string imageId) => meta.PutBuildCache(cacheKey, imageId);

    public string Tag(string imageId, string reference)
    {
        if (!ImageReference.TryParse(reference, out var r) || r.Digest is not null) throw new InvalidArgumentException($"invalid reference format: {reference}");
        var canonical = ImageService.Canonical(r);
        meta.SetTag(canonical, imageId);
        var familiar = ImageService.Familiar(canonical);
        events.Publish("image", "tag", imageId, new Dictionary<string, string> { ["name"] = familiar });
        return familiar;
    }

    public Task ExtractTarAsync(Stream tar, string directory, CancellationToken ct) => LayerTarReader.ExtractAsync(tar, directory, ct);

    public async Task<IReadOnlyDictionary<string, string>> ExtractContextAsync(Stream tar, string directory, CancellationToken ct)
    {
        // The request body streams once: it is kept next to the directory, summed, then unpacked from there.
        var spool = directory.TrimEnd('/') + ".tar";
        try
        {
            await using (var file = File.Create(spool)) await tar.CopyToAsync(file, ct);
            Dictionary<string, string> sums;
            await using (var file = File.OpenRead(spool)) sums = await Storage.Archive.TarSum.FileSumsAsync(file, ct);
            await using (var file = File.OpenRead(spool)) await LayerTarReader.ExtractAsync(file, directory, ct);
            return sums;
        }
        finally
        {
            File.Delete(spool);
        }
    }

    public string CacheMountDirectory(string id)
    {
        var dir = Path.Join(Path.GetDirectoryName(tempRoot.TrimEnd('/'))!, "build-cache-mounts", Digest.Sha256(System.Text.Encoding.UTF8.GetBytes(id)).Encoded);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public string CreateTempDirectory()
    {
        var dir = Path.Join(tempRoot, "build-" + IdGenerator.NewId()[..16]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private bool LayersPresent(ImageRecord image) => image.DiffIds.Count == 0 || layers.Exists(LayerStore.ChainId(image.DiffIds));

    internal static BuildImage ToBuildImage(ImageRecord r) => new(r.Id, r.ConfigJson, r.DiffIds, r.LayerDigests, r.ParentId);
}
