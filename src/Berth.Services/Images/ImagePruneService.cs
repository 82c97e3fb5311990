using Berth.Api.Models.Images;
using Berth.Core.Ids;
using Berth.Services.Containers;
using Berth.Storage;

namespace Berth.Services.Images;

/// <summary>
/// <c>docker image prune</c> (dangling images, or with <c>dangling=false</c> every image no container uses; <c>until</c> and
/// <c>label</c> filters) and the content-store collection that follows it: blobs no image, layer or repo digest references.
/// </summary>
public sealed class ImagePruneService(MetadataStore meta, ContentStore content, ImageService images, ContainerService containers, ContentGate gate)
{
    public ImagePruneResponse Prune(IReadOnlyDictionary<string, IReadOnlyList<string>> filters)
    {
        Filters.Validate(filters, "dangling", "until", "label", "label!");
        var danglingOnly = !(filters.TryGetValue("dangling", out var d) && d.Count > 0 && d[0] is "false" or "0");
        var until = filters.TryGetValue("until", out var u) && u.Count > 0 ? ParseUntil(u[0]) : (DateTimeOffset?)null;
        var tags = meta.ListTags();
        var deleted = new List<ImageDeleteResponseItem>();
        long reclaimed = 0;
        foreach (var image in meta.ListImages())
        {
            if (containers.CountUsingImage(image.Id) > 0) continue;
            var named = tags.Any(t => t.ImageId == image.Id && !t.Reference.Contains('@', StringComparison.Ordinal));
            if (danglingOnly && named) continue;
            if (until is { } limit && image.Created >= limit) continue;
            var labels = ImageService.ReadConfig(image).Config?.Labels ?? [];
            if (filters.TryGetValue("label", out var want) && !want.All(l => LabelMatches(labels, l))) continue;
            if (filters.TryGetValue("label!", out var not) && not.Any(l => LabelMatches(labels, l))) continue;
            // Keep parents of images that stay (docker commit children), as Docker keeps an image's parent chain.
            if (meta.ListImages().Any(other => other.ParentId == image.Id)) continue;
            deleted.AddRange(images.Remove(image.Id, force: true, _ => null, noPrune: true));   // this loop visits the parents itself
            reclaimed += image.Size;
        }
        CollectContent();
        return new ImagePruneResponse { ImagesDeleted = deleted.Count == 0 ? null : deleted, SpaceReclaimed = reclaimed };
    }

    /// <summary>
    /// Deletes blobs nothing references and returns them; skipped (nothing returned) while a pull, load or commit is
    /// writing (they hold the gate).
    /// </summary>
    public IReadOnlyList<Digest> CollectContent()
    {
        var deleted = new List<Digest>();
        gate.TryCollect(() =>
        {
            var keep = new HashSet<string>(StringComparer.Ordinal);
            foreach (var image in meta.ListImages())
            {
                keep.Add(image.Id);
                foreach (var l in image.LayerDigests) keep.Add(l);
            }
            foreach (var (reference, _) in meta.ListTags())
            {
                var at = reference.IndexOf('@', StringComparison.Ordinal);
                if (at > 0) keep.Add(reference[(at + 1)..]);
            }
            foreach (var blob in content.List().ToList())
            {
                if (keep.Contains(blob.ToString())) continue;
                content.Delete(blob);
                deleted.Add(blob);
            }
            // The push sources of deleted blobs, including those of a collection a crash cut short.
            var sources = Path.Join(content.Root, "sources");
            if (!Directory.Exists(sources)) return;
            foreach (var file in Directory.EnumerateFiles(sources))
            {
                var hex = Path.GetFileName(file);
                if (!Digest.TryParse((hex.Length == 128 ? "sha512:" : "sha256:") + hex, out var d) || !content.Exists(d)) File.Delete(file);
            }
        });
        return deleted;
    }

    private static DateTimeOffset ParseUntil(string text)
    {
        if (long.TryParse(text.Split('.')[0], out var seconds)) return DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var ago)) return DateTimeOffset.UtcNow - ago;
        if (text.Length > 1 && char.IsLetter(text[^1]) && double.TryParse(text[..^1], System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            return DateTimeOffset.UtcNow - (text[^1] switch { 's' => TimeSpan.FromSeconds(n), 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), _ => TimeSpan.Zero });
        }
        return DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
            ? t : throw new Core.Errors.InvalidArgumentException($"invalid filter 'until={text}'");
    }

    private static bool LabelMatches(Dictionary<string, string> labels, string filter)
    {
        var eq = filter.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? labels.ContainsKey(filter) : labels.TryGetValue(filter[..eq], out var v) && v == filter[(eq + 1)..];
    }

    /// <summary>Total size of unpacked layers and stored blobs, for <c>system df</c>.</summary>
    public long LayersSize()
    {
        long total = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var image in meta.ListImages())
            for (var i = 1; i <= image.DiffIds.Count; i++)
            {
                var chain = LayerStore.ChainId(image.DiffIds.Take(i));
                if (seen.Add(chain)) total += images.LayerInfo(chain)?.Size ?? 0;
            }
        return total;
    }
}
