using Berth.Storage.Archive;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Errors;
using Berth.Core.Ids;
using Berth.Core.Images;
using Berth.Distribution;
using Berth.Distribution.Manifests;
using Berth.Distribution.Transfer;
using Berth.Storage;

namespace Berth.Services.Images;

public sealed partial class ImageArchiveService
{
    /// <summary>
    /// Loads every image of an archive: the tar (plain or gzip) is spooled to a scratch dir, each layer is unpacked with its diff id
    /// checked, and tags move to the loaded images. Emits Docker's <c>Loaded image: …</c> lines (and layer progress unless quiet).
    /// </summary>
    public async Task LoadAsync(Stream input, bool quiet, Action<byte[]> emit, CancellationToken ct)
    {
        var scratch = content.IngestPath("load-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        using var lease = gate.Enter();
        try
        {
            await SpoolAsync(input, scratch, ct).ConfigureAwait(false);
            var loaded = File.Exists(Path.Join(scratch, "manifest.json"))
                ? await LoadDockerArchiveAsync(scratch, quiet, emit, ct).ConfigureAwait(false)
                : File.Exists(Path.Join(scratch, "index.json"))
                    ? await LoadOciLayoutAsync(scratch, quiet, emit, ct).ConfigureAwait(false)
                    : throw new InvalidArgumentException("invalid archive: neither manifest.json nor index.json found");
            foreach (var (id, tags) in loaded)
            {
                foreach (var t in tags) emit(ProgressJson.Stream($"Loaded image: {t}\n"));
                if (tags.Count == 0) emit(ProgressJson.Stream($"Loaded image ID: {id}\n"));
                events.Publish("image", "load", id, new Dictionary<string, string> { ["name"] = id });
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private async Task<List<(string Id, List<string> Tags)>> LoadDockerArchiveAsync(string dir, bool quiet, Action<byte[]> emit, CancellationToken ct)
    {
        var result = new List<(string, List<string>)>();
        var entries = JsonNode.Parse(await File.ReadAllBytesAsync(Path.Join(dir, "manifest.json"), ct).ConfigureAwait(false)) as JsonArray
                      ?? throw new InvalidArgumentException("invalid archive: manifest.json is not a list");
        foreach (var entry in entries)
        {
            var configPath = entry?["Config"]?.GetValue<string>() ?? throw new InvalidArgumentException("invalid archive: manifest entry without Config");
            var layerPaths = (entry["Layers"] as JsonArray)?.Select(l => l!.GetValue<string>()).ToList() ?? [];
            var tags = (entry["RepoTags"] as JsonArray)?.Select(t => t!.GetValue<string>()).ToList() ?? [];
            var id = await ImportAsync(dir, configPath, layerPaths.Select(p => (p, (Digest?)null)).ToList(), quiet, emit, ct).ConfigureAwait(false);
            result.Add((id, TagAll(id, tags)));
        }
        return result;
    }

    private async Task<List<(string Id, List<string> Tags)>> LoadOciLayoutAsync(string dir, bool quiet, Action<byte[]> emit, CancellationToken ct)
    {
        var result = new List<(string, List<string>)>();
        var index = ReadManifest(dir, "index.json");
        foreach (var desc in index.Manifests ?? [])
        {
            var manifest = ReadManifest(dir, BlobPath(desc.Digest));
            if (manifest.Manifests is not null)
            {
                var chosen = manifest.Manifests.FirstOrDefault(m => Platform.Host.Matches(m.Platform)) ?? manifest.Manifests.FirstOrDefault()
                             ?? throw new InvalidArgumentException($"invalid archive: empty index {desc.Digest}");
                manifest = ReadManifest(dir, BlobPath(chosen.Digest));
            }
            if (manifest.Config is null || manifest.Layers is null) throw new InvalidArgumentException($"invalid archive: {desc.Digest} is not an image manifest");
            var id = await ImportAsync(dir, BlobPath(manifest.Config.Digest), [.. manifest.Layers.Select(l => (BlobPath(l.Digest), (Digest?)Digest.Parse(l.Digest)))], quiet, emit, ct).ConfigureAwait(false);
            var tags = new List<string>();
            var name = desc.Annotations?.GetValueOrDefault("io.containerd.image.name");
            var refName = desc.Annotations?.GetValueOrDefault("org.opencontainers.image.ref.name");
            if (name is null && refName is not null && (refName.Contains('/', StringComparison.Ordinal) || refName.Contains(':', StringComparison.Ordinal))) name = refName;
            if (name is not null) tags.Add(name);
            result.Add((id, TagAll(id, tags)));
        }
        return result;
    }

    /// <summary>Stores config and layer blobs, unpacks the layers in order (diff ids checked) and records the image; returns its id.</summary>
    private async Task<string> ImportAsync(string dir, string configPath, List<(string Path, Digest? Expected)> layerFiles, bool quiet, Action<byte[]> emit, CancellationToken ct)
    {
        var configBytes = await File.ReadAllBytesAsync(Resolve(dir, configPath), ct).ConfigureAwait(false);
        var configDigest = await content.WriteAsync(new MemoryStream(configBytes), null, ct).ConfigureAwait(false);
        var configJson = Encoding.UTF8.GetString(configBytes);
        var diffIds = JsonSerializer.Deserialize(configBytes, Distribution.DistributionJsonContext.Default.ImageConfigRootfs)?.Rootfs?.DiffIds ?? [];
        if (diffIds.Count != layerFiles.Count)
            throw new InvalidArgumentException($"invalid archive: config {configDigest} lists {diffIds.Count} layers, the manifest {layerFiles.Count}");
        var blobs = new List<string>();
        long size = 0;
        string? parent = null;
        for (var i = 0; i < layerFiles.Count; i++)
        {
            var path = Resolve(dir, layerFiles[i].Path);
            Digest blob;
            await using (var f = File.OpenRead(path)) blob = await content.WriteAsync(f, layerFiles[i].Expected, ct).ConfigureAwait(false);
            var chain = parent is null ? diffIds[i] : LayerStore.ChainId(diffIds.Take(i + 1));
            if (!layers.Exists(chain))
            {
                var total = new FileInfo(path).Length;
                var id = Digest.Parse(diffIds[i]).Encoded[..12];
                await using var f = new ProgressReadStream(content.OpenRead(blob), quiet ? null : new ProgressThrottle(e => emit(ProgressJson.Progress(e)), id, "Loading layer", total).Report);
                await layers.ApplyLayerAsync(parent, f, diffIds[i], ct).ConfigureAwait(false);
            }
            blobs.Add(blob.ToString());
            size += layers.GetLayer(chain)?.Size ?? 0;
            parent = chain;
        }
        var imageId = configDigest.ToString();
        meta.PutImage(new ImageRecord(imageId, configJson, diffIds, blobs, null, ImageDistributionService.CreatedOf(configJson), size));
        return imageId;
    }

    private List<string> TagAll(string id, List<string> tags)
    {
        var shown = new List<string>();
        foreach (var t in tags)
        {
            if (!ImageReference.TryParse(t, out var r)) continue;
            var canonical = ImageService.Canonical(r);
            meta.SetTag(canonical, id);
            shown.Add(ImageService.Familiar(canonical));
        }
        return shown;
    }

    private static ManifestDocument ReadManifest(string dir, string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(Resolve(dir, path)), Distribution.DistributionJsonContext.Default.ManifestDocument)
                   ?? throw new InvalidArgumentException($"invalid archive: {path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidArgumentException($"invalid archive: {path}: {e.Message}", e);
        }
    }

    private static string BlobPath(string digest) => Digest.TryParse(digest, out var d) ? $"blobs/{d.Algorithm}/{d.Encoded}" : throw new InvalidArgumentException($"invalid digest {digest}");

    /// <summary>A path named inside the archive, resolved within the scratch dir (symlinked layers of old archives were copied there).</summary>
    private static string Resolve(string dir, string name)
    {
        var rel = SafeName(name) ?? throw new InvalidArgumentException($"invalid archive: bad path {name}");
        var path = Path.Join(dir, rel);
        return File.Exists(path) ? path : throw new InvalidArgumentException($"invalid archive: {name} is missing");
    }

    /// <summary>Extracts regular files (and resolves links between them) into <paramref name="dir"/>; nothing can land outside it.</summary>
    private static async Task SpoolAsync(Stream input, string dir, CancellationToken ct)
    {
        var tar = await Decompression.OpenAsync(input, ct).ConfigureAwait(false);
        var links = new List<(string Name, string Target)>();
        await using var reader = new TarReader(tar, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
        {
            var rel = SafeName(entry.Name);
            if (rel is null) continue;
            switch (entry.EntryType)
            {
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                    {
                        var path = Path.Join(dir, rel);
                        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                        await using var f = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
                        if (entry.DataStream is not null) await entry.DataStream.CopyToAsync(f, ct).ConfigureAwait(false);
                        break;
                    }
                case TarEntryType.SymbolicLink:
                    // Pre-25 archives link a repeated layer to its first copy: "../<id>/layer.tar".
                    var target = entry.LinkName.StartsWith('/') ? entry.LinkName : Path.Join(Path.GetDirectoryName(rel), entry.LinkName);
                    links.Add((rel, target));
                    break;
                case TarEntryType.HardLink:
                    links.Add((rel, entry.LinkName));
                    break;
            }
        }
        foreach (var (name, target) in links)
        {
            var safeTarget = SafeName(Path.GetFullPath("/" + target)[1..]);
            if (safeTarget is null || !File.Exists(Path.Join(dir, safeTarget))) continue;
            var path = Path.Join(dir, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Copy(Path.Join(dir, safeTarget), path, overwrite: true);
        }
    }

    /// <summary>A relative path without <c>..</c>, or null: <c>./a/b</c> → <c>a/b</c>.</summary>
    private static string? SafeName(string name)
    {
        var parts = name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Count == 0 || parts.Any(p => p == "..")) return null;
        return string.Join('/', parts);
    }
}
