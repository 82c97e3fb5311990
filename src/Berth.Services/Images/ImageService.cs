using System.Globalization;
using System.Text.Json;
using Berth.Api.Models.Containers;
using Berth.Api.Models.Images;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Services.Events;
using Berth.Storage;

namespace Berth.Services.Images;

/// <summary>Images and tags: lookup by name or id, listing, inspect, tag/untag/delete, rootfs import.</summary>
public sealed class ImageService(MetadataStore meta, LayerStore layers, ImageImporter importer, EventHub events)
{
    /// <summary>Resolves a user's name for an image: full or short id, or a reference (tag or digest).</summary>
    public ImageRecord Resolve(string nameOrId) => TryResolve(nameOrId) ?? throw new NotFoundException($"No such image: {Familiar(nameOrId)}");

    public ImageRecord? TryResolve(string nameOrId)
    {
        if (string.IsNullOrEmpty(nameOrId)) return null;
        if (nameOrId.StartsWith("sha256:", StringComparison.Ordinal))
        {
            var hex = nameOrId[7..];
            return hex.Length == 64 ? meta.GetImage(nameOrId) : ByPrefix(hex);
        }
        if (ImageReference.TryParse(nameOrId, out var reference))
        {
            var full = Canonical(reference);
            var id = meta.ResolveTag(full);
            if (id is not null) return meta.GetImage(id);
        }
        return IsHex(nameOrId) ? ByPrefix(nameOrId) : null;
    }

    public static ImageConfigFile ReadConfig(ImageRecord image) =>
        JsonSerializer.Deserialize(image.ConfigJson, ServicesJsonContext.Default.ImageConfigFile) ?? new ImageConfigFile();

    public IReadOnlyList<string> RepoTags(string imageId) =>
        [.. meta.ListTags().Where(t => t.ImageId == imageId && !t.Reference.Contains('@', StringComparison.Ordinal)).Select(t => Familiar(t.Reference)).Order(StringComparer.Ordinal)];

    public IReadOnlyList<string> RepoDigests(string imageId) =>
        [.. meta.ListTags().Where(t => t.ImageId == imageId && t.Reference.Contains('@', StringComparison.Ordinal)).Select(t => Familiar(t.Reference))];

    public List<ImageSummary> List(IReadOnlyDictionary<string, IReadOnlyList<string>> filters, bool all, Func<string, int> containersUsing)
    {
        Filters.Validate(filters, "dangling", "label", "reference", "before", "since", "until");
        var tags = meta.ListTags();
        var result = new List<ImageSummary>();
        var allImages = meta.ListImages();
        // Docker hides untagged intermediate images (build steps that have a child) unless -a is given.
        var parents = all ? [] : new HashSet<string>(allImages.Where(i => i.ParentId is not null).Select(i => i.ParentId!), StringComparer.Ordinal);
        foreach (var image in allImages.OrderByDescending(i => i.Created))
        {
            var repoTags = tags.Where(t => t.ImageId == image.Id && !t.Reference.Contains('@', StringComparison.Ordinal)).Select(t => Familiar(t.Reference)).Order(StringComparer.Ordinal).ToList();
            if (repoTags.Count == 0 && parents.Contains(image.Id) && !tags.Any(t => t.ImageId == image.Id)) continue;
            var config = ReadConfig(image);
            var labels = config.Config?.Labels;
            if (filters.TryGetValue("dangling", out var dangling) && dangling.Count > 0)
            {
                var wantDangling = dangling[0] is "true" or "1";
                if (wantDangling != (repoTags.Count == 0)) continue;
            }
            if (filters.TryGetValue("label", out var labelFilters) && !labelFilters.All(l => LabelMatches(labels, l))) continue;
            if (filters.TryGetValue("reference", out var refs) && refs.Count > 0 && !repoTags.Any(t => refs.Any(r => ReferenceMatches(t, r)))) continue;
            result.Add(new ImageSummary
            {
                Id = image.Id,
                ParentId = image.ParentId ?? "",
                RepoTags = repoTags,
                RepoDigests = [.. RepoDigests(image.Id)],
                Created = image.Created.ToUnixTimeSeconds(),
                Size = image.Size,
                Labels = labels ?? [],
                Containers = containersUsing(image.Id),
            });
        }
        return result;
    }

    public ImageInspect Inspect(string name)
    {
        var image = Resolve(name);
        var config = ReadConfig(image);
        return new ImageInspect
        {
            Id = image.Id,
            RepoTags = [.. RepoTags(image.Id)],
            RepoDigests = [.. RepoDigests(image.Id)],
            Parent = image.ParentId ?? "",
            Comment = config.Comment ?? "",
            Created = config.Created ?? Timestamps.Format(image.Created),
            DockerVersion = config.DockerVersion ?? "",
            Author = config.Author ?? "",
            Config = config.Config ?? new ContainerConfig(),
            Architecture = config.Architecture ?? "amd64",
            Variant = config.Variant,
            Os = config.Os ?? "linux",
            Size = image.Size,
            RootFS = new RootFs { Layers = [.. image.DiffIds] },
            GraphDriver = new GraphDriverData { Data = new() { ["MergedDir"] = "", ["UpperDir"] = "", ["WorkDir"] = "" } },
        };
    }

    public List<ImageHistoryItem> History(string name)
    {
        var image = Resolve(name);
        var config = ReadConfig(image);
        var entries = config.History ?? [];
        var items = new List<ImageHistoryItem>();
        var layerIndex = image.DiffIds.Count - 1;
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            var e = entries[i];
            items.Add(new ImageHistoryItem
            {
                Id = i == entries.Count - 1 ? image.Id : "<missing>",
                Created = DateTimeOffset.TryParse(e.Created, CultureInfo.InvariantCulture, out var c) ? c.ToUnixTimeSeconds() : 0,
                CreatedBy = e.CreatedBy ?? "",
                Comment = e.Comment ?? "",
                Tags = i == entries.Count - 1 ? [.. RepoTags(image.Id)] : null,
                Size = e.EmptyLayer || layerIndex < 0 ? 0 : LayerSize(image, layerIndex--),
            });
        }
        return items;
    }

    public void Tag(string source, string repo, string? tag)
    {
        var image = Resolve(source);
        var target = ParseTarget(repo, tag);
        meta.SetTag(Canonical(target), image.Id);
        events.Publish("image", "tag", image.Id, new Dictionary<string, string> { ["name"] = target.ToString() });
    }

    public List<ImageDeleteResponseItem> Remove(string name, bool force, Func<string, string?> containerUsing, bool noPrune = false)
    {
        var image = Resolve(name);
        var items = new List<ImageDeleteResponseItem>();
        var tags = meta.ListTags().Where(t => t.ImageId == image.Id).Select(t => t.Reference).ToList();
        var byReference = ImageReference.TryParse(name, out var reference) && meta.ResolveTag(Canonical(reference)) == image.Id
            && !name.StartsWith("sha256:", StringComparison.Ordinal) && !(IsHex(name) && image.Id[7..].StartsWith(name, StringComparison.Ordinal) && tags.Count == 0);
        // Repo digests (name@sha256:…) ride along with the tags: only tags decide between untag and delete, as in Docker.
        var nameTags = tags.Where(t => !t.Contains('@', StringComparison.Ordinal)).ToList();
        if (byReference && nameTags.Count > 1)
        {
            // Removing one of several names only untags (Docker: "Untagged: …").
            var full = Canonical(reference!);
            meta.RemoveTag(full);
            items.Add(new ImageDeleteResponseItem { Untagged = Familiar(full) });
            events.Publish("image", "untag", image.Id, new Dictionary<string, string> { ["name"] = Familiar(full) });
            var repo = reference!.FullName;
            if (!nameTags.Any(t => t != full && t.StartsWith(repo + ":", StringComparison.Ordinal)))
            {
                foreach (var d in tags.Where(t => t.StartsWith(repo + "@", StringComparison.Ordinal)))
                {
                    meta.RemoveTag(d);
                    items.Add(new ImageDeleteResponseItem { Untagged = Familiar(d) });
                }
            }
            return items;
        }
        if (!byReference && nameTags.Count > 1 && !force)
            throw new ConflictException($"conflict: unable to delete {ShortId(image.Id)} (must be forced) - image is referenced in multiple repositories");
        var user = containerUsing(image.Id);
        if (user is not null && !force)
        {
            var what = byReference ? $"unable to remove repository reference \"{name}\" (must force)" : $"unable to delete {ShortId(image.Id)} (must be forced)";
            throw new ConflictException($"conflict: {what} - container {ShortId(user)} is using its referenced image {ShortId(image.Id)}");
        }
        foreach (var t in tags)
        {
            meta.RemoveTag(t);
            items.Add(new ImageDeleteResponseItem { Untagged = Familiar(t) });
            events.Publish("image", "untag", image.Id, new Dictionary<string, string> { ["name"] = Familiar(t) });
        }
        if (user is not null) return items; // forced while in use: untag only, as Docker keeps the image for the container
        meta.DeleteImage(image.Id);
        items.Add(new ImageDeleteResponseItem { Deleted = image.Id });
        events.Publish("image", "delete", image.Id, new Dictionary<string, string> { ["name"] = image.Id });
        ReleaseLayers(image);
        if (!noPrune) PruneParents(image.ParentId, items, containerUsing);
        return items;
    }

    /// <summary>
    /// Docker's rmi without <c>--no-prune</c> (moby imageDeleteHelper, prune mode): walks up the parent chain (the intermediate
    /// images of a build) deleting each parent that has no tag, no other child and no container, and stops quietly at the
    /// first one that must stay.
    /// </summary>
    private void PruneParents(string? parentId, List<ImageDeleteResponseItem> items, Func<string, string?> containerUsing)
    {
        while (parentId is not null && meta.GetImage(parentId) is { } parent)
        {
            if (meta.ListTags().Any(t => t.ImageId == parent.Id)) return;
            if (meta.ListImages().Any(i => i.ParentId == parent.Id)) return;
            if (containerUsing(parent.Id) is not null) return;
            meta.DeleteImage(parent.Id);
            items.Add(new ImageDeleteResponseItem { Deleted = parent.Id });
            events.Publish("image", "delete", parent.Id, new Dictionary<string, string> { ["name"] = parent.Id });
            ReleaseLayers(parent);
            parentId = parent.ParentId;
        }
    }

    public async Task<string> ImportAsync(Stream tar, string? repo, string? tag, string? message, IReadOnlyList<string> changes, CancellationToken ct)
    {
        var input = ImportChanges.Apply(changes, message);
        var image = await importer.ImportRootfsAsync(tar, input, ct);
        if (!string.IsNullOrEmpty(repo)) meta.SetTag(Canonical(ParseTarget(repo, tag)), image.Id);
        events.Publish("image", "import", image.Id, new Dictionary<string, string> { ["name"] = image.Id });
        return image.Id;
    }

    /// <summary>The full, tagged form the metadata store keys tags by.</summary>
    public static string Canonical(ImageReference reference)
    {
        var r = reference.Digest is null ? reference.WithDefaultTag() : reference;
        return r.FullName + (r.Tag is null ? "" : ":" + r.Tag) + (r.Digest is null ? "" : "@" + r.Digest);
    }

    public static string Familiar(string name) => ImageReference.TryParse(name, out var r) ? (r.Digest is null ? r.WithDefaultTag() : r).ToString() : name;

    public static string ShortId(string id) => (id.StartsWith("sha256:", StringComparison.Ordinal) ? id[7..] : id)[..Math.Min(12, id.Length)];

    private static ImageReference ParseTarget(string repo, string? tag)
    {
        var text = string.IsNullOrEmpty(tag) ? repo : $"{repo}:{tag}";
        if (!ImageReference.TryParse(text, out var r)) throw new InvalidArgumentException($"invalid reference format: {text}");
        return r;
    }

    private ImageRecord? ByPrefix(string hex)
    {
        if (hex.Length == 0 || !IsHex(hex)) return null;
        var matches = meta.ListImages().Where(i => i.Id[7..].StartsWith(hex, StringComparison.Ordinal)).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    private static bool IsHex(string s) => s.Length > 0 && !s.AsSpan().ContainsAnyExcept("0123456789abcdef");

    private static bool LabelMatches(Dictionary<string, string>? labels, string filter)
    {
        if (labels is null) return false;
        var eq = filter.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? labels.ContainsKey(filter) : labels.TryGetValue(filter[..eq], out var v) && v == filter[(eq + 1)..];
    }

    private static bool ReferenceMatches(string familiarTag, string pattern)
    {
        var repo = familiarTag[..familiarTag.LastIndexOf(':')];
        return GlobMatch(pattern, familiarTag) || GlobMatch(pattern, repo);
    }

    private static bool GlobMatch(string pattern, string text)
    {
        var regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", "[^/]*", StringComparison.Ordinal).Replace("\\?", "[^/]", StringComparison.Ordinal) + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(text, regex);
    }

    /// <summary>The size of the layer the history entry made: its unpacked content.</summary>
    private long LayerSize(ImageRecord image, int index) =>
        index < image.DiffIds.Count ? layers.GetLayer(LayerStore.ChainId(image.DiffIds.Take(index + 1)))?.Size ?? 0 : 0;

    public LayerInfo? LayerInfo(string chainId) => layers.GetLayer(chainId);

    private void ReleaseLayers(ImageRecord image)
    {
        // A layer is shared by chain id: only remove those no other image's chain still contains.
        var chains = new List<string>();
        for (var i = 1; i <= image.DiffIds.Count; i++) chains.Add(LayerStore.ChainId(image.DiffIds.Take(i)));
        var inUse = new HashSet<string>(StringComparer.Ordinal);
        foreach (var other in meta.ListImages())
            for (var i = 1; i <= other.DiffIds.Count; i++) inUse.Add(LayerStore.ChainId(other.DiffIds.Take(i)));
        // Top-most first: a layer another layer is stacked on cannot go before it.
        foreach (var chain in chains.Where(c => !inUse.Contains(c)).Reverse()) layers.RemoveLayer(chain);
    }
}
