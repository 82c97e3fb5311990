using System.Globalization;
using Berth.Api.Models.Containers;

namespace Berth.Builder.Execution;

public sealed partial class ClassicBuilder
{
    private readonly Lock _cacheFromLock = new();
    private List<BuildImage>? _cacheFromSources;

    /// <summary>
    /// <c>--cache-from</c> (moby daemon/images/cache.go, ImageCache.GetCache): a source image whose history starts with the
    /// parent's history (and whose layers start with the parent's) and whose next history entry was created by this step's
    /// command is a hit. At the source's last entry the source itself is the result; before that, the step's image is restored
    /// from the parent plus that entry and its layer, and the search sticks to that source from then on, as Docker's does.
    /// Sources that do not exist locally are skipped.
    /// </summary>
    private async Task<BuildImage?> CacheFromAsync(StageState s, ContainerConfig probe, string salt, CancellationToken ct)
    {
        if (_options.CacheFrom.Count == 0) return null;
        List<BuildImage> sources;
        lock (_cacheFromLock) sources = _cacheFromSources ??= [.. _options.CacheFrom.Select(backend.FindImage).OfType<BuildImage>()];
        var parentHistory = s.ImageId.Length == 0 ? [] : s.ImageConfig.History;
        var createdBy = string.Join(' ', probe.Cmd ?? []);
        foreach (var target in sources)
        {
            var config = ImageConfig.Parse(target.ConfigJson);
            if (!IsValidParent(config, target, s, parentHistory) || config.History[parentHistory.Count].CreatedBy != createdBy) continue;
            if (config.History.Count - 1 == parentHistory.Count) return target;
            var restored = await RestoreAsync(s, target, config, parentHistory.Count, ct);
            if (restored is null) continue;
            backend.StoreCache(CacheKey(s.ImageId, probe, salt), restored.Id);
            lock (_cacheFromLock) _cacheFromSources = [target];
            return restored;
        }
        return null;
    }

    private static bool IsValidParent(ImageConfig config, BuildImage target, StageState s, List<HistoryEntry> parentHistory)
    {
        if (config.History.Count == 0) return false;
        if (parentHistory.Count == 0 && s.Image.DiffIds.Count == 0) return true;
        if (parentHistory.Count >= config.History.Count || s.Image.DiffIds.Count > target.DiffIds.Count) return false;
        for (var i = 0; i < parentHistory.Count; i++)
            if (parentHistory[i] != config.History[i]) return false;
        for (var i = 0; i < s.Image.DiffIds.Count; i++)
            if (s.Image.DiffIds[i] != target.DiffIds[i]) return false;
        return true;
    }

    /// <summary>The image this step would have made: the parent, the source's history entry for it and that entry's layer.</summary>
    private async Task<BuildImage?> RestoreAsync(StageState s, BuildImage target, ImageConfig config, int index, CancellationToken ct)
    {
        var entry = config.History[index];
        var diffIds = s.Image.DiffIds.ToList();
        var blobs = s.Image.LayerDigests.ToList();
        if (!entry.EmptyLayer)
        {
            var layer = config.History.Take(index).Count(h => !h.EmptyLayer);
            if (layer >= target.DiffIds.Count || layer >= target.LayerDigests.Count) return null;
            diffIds.Add(target.DiffIds[layer]);
            blobs.Add(target.LayerDigests[layer]);
        }
        if (!DateTimeOffset.TryParse(entry.Created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)) created = _time.GetUtcNow();
        var child = new ImageConfig
        {
            Architecture = config.Architecture,
            Os = config.Os,
            Variant = config.Variant,
            Author = config.Author,
            Config = ConfigCopy.Clone(s.RunConfig),
        };
        child.Config.Image = s.ImageId;
        child.History.AddRange(s.ImageId.Length == 0 ? [] : s.ImageConfig.History);
        child.History.Add(entry);
        var json = ImageConfigWriter.Write(child, diffIds, created);
        return await backend.StoreImageAsync(json, diffIds, blobs, s.ImageId.Length == 0 ? null : s.ImageId, ct);
    }

    private async Task<BuildImage> BaseImageAsync(string name, IBuildOutput output, CancellationToken ct)
    {
        // --pull (moby PullOptionForcePull): always ask the registry again; a failed pull fails the build, as in Docker. An image id
        // names no repository and is looked up locally.
        if (_options.Pull && !name.StartsWith("sha256:", StringComparison.Ordinal))
            return await backend.PullAsync(name, line => output.WriteAsync(line, ct), ct);
        return backend.FindImage(name) ?? throw new BuildFailedException(PullError(name));
    }
}
