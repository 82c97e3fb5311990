using System.Text.Json;
using Berth.Core.Ids;
using Berth.Distribution;

namespace Berth.Registry.Storage;

/// <summary>
/// Offline garbage collection (<c>berth registry garbage-collect</c>, like distribution's): mark every blob reachable from a manifest
/// linked in some repository (index → manifests → config and layers), then delete the rest. Run it while the registry is stopped.
/// </summary>
public static class GarbageCollector
{
    public sealed record Result(int Marked, IReadOnlyList<string> Deleted, long BytesFreed);

    public static Result Collect(string root, bool dryRun = false, bool deleteUntagged = false)
    {
        var store = new RegistryStore(root);
        if (deleteUntagged)
        {
            foreach (var repo in store.Repositories())
            {
                var tagged = store.Tags(repo).Select(t => t.Digest).ToHashSet();
                var children = new HashSet<Digest>();
                foreach (var d in tagged) foreach (var c in Children(store, d)) children.Add(c);
                foreach (var (r, d) in store.AllManifests().Where(m => m.Repo == repo).ToList())
                    if (!tagged.Contains(d) && !children.Contains(d) && !dryRun) store.UnlinkManifest(r, d);
            }
        }
        var marked = new HashSet<Digest>();
        var pending = new Stack<Digest>(store.AllManifests().Select(m => m.Digest));
        while (pending.Count > 0)
        {
            var d = pending.Pop();
            if (!marked.Add(d) || !store.Content.Exists(d)) continue;
            foreach (var child in References(store, d)) pending.Push(child);
        }
        var deleted = new List<string>();
        long freed = 0;
        foreach (var blob in store.Content.List().ToList())
        {
            if (marked.Contains(blob)) continue;
            deleted.Add(blob.ToString());
            freed += store.Content.Size(blob);
            if (!dryRun) store.Content.Delete(blob);
        }
        if (!dryRun) store.PruneLayerLinks(store.Content.Exists);
        return new Result(marked.Count, deleted, freed);
    }

    private static IEnumerable<Digest> Children(RegistryStore store, Digest manifest) =>
        References(store, manifest).Where(d => Parse(store, d) is not null);

    private static IEnumerable<Digest> References(RegistryStore store, Digest d)
    {
        var doc = Parse(store, d);
        if (doc is null) yield break;
        foreach (var desc in (doc.Manifests ?? []).Concat(doc.Layers ?? []).Concat(doc.Config is null ? [] : [doc.Config]))
            if (Digest.TryParse(desc.Digest, out var child)) yield return child;
    }

    private static Distribution.Manifests.ManifestDocument? Parse(RegistryStore store, Digest d)
    {
        if (!store.Content.Exists(d) || store.Content.Size(d) > 4 * 1024 * 1024) return null;
        try
        {
            using var s = store.Content.OpenRead(d);
            var first = s.ReadByte();
            if (first != '{') return null;
            s.Position = 0;
            var doc = JsonSerializer.Deserialize(s, DistributionJsonContext.Default.ManifestDocument);
            return doc is { Config: not null } or { Manifests: not null } ? doc : null;
        }
        catch (JsonException)
        {
            return null;   // a blob that is JSON but not a manifest (an image config) references nothing
        }
    }
}
