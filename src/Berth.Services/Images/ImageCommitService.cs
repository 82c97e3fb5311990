using System.Formats.Tar;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Api.Models;
using Berth.Api.Models.Containers;
using Berth.Core.Errors;
using Berth.Core.Ids;
using Berth.Core.Images;
using Berth.Services.Containers;
using Berth.Services.Events;
using Berth.Storage;

namespace Berth.Services.Images;

/// <summary>
/// <c>docker commit</c>: the container's upper dir becomes a layer (overlay whiteouts as OCI <c>.wh.</c> entries) on top of its image,
/// with the container's config (plus <c>--change</c> and the request body) as the new image's config and a history entry. With
/// <c>pause</c> (Docker's default) a running container is frozen while its upper dir is read, so the layer is a consistent snapshot.
/// </summary>
public sealed class ImageCommitService(MetadataStore meta, ContentStore content, LayerStore layers, ImageService images, ContainerService containers,
    EventHub events, ContentGate gate)
{
    public async Task<string> CommitAsync(string container, string? repo, string? tag, string? comment, string? author, IReadOnlyList<string> changes,
        ContainerConfig? overrides, bool pause, CancellationToken ct)
    {
        var c = containers.Get(container);
        // As moby's daemon.CreateImageFromContainer: pause only a running container not paused already, and unpause it afterwards
        // (both publish their events, so `docker events` shows pause, commit, unpause).
        var paused = false;
        if (pause && c.Doc.State.Running && !c.Doc.State.Paused)
        {
            await containers.PauseAsync(c.Id, ct).ConfigureAwait(false);
            paused = true;
        }
        try
        {
            return await CommitFrozenAsync(c, repo, tag, comment, author, changes, overrides, ct).ConfigureAwait(false);
        }
        finally
        {
            // Not cancellable: a container left frozen by a dropped connection would hang its processes.
            if (paused) await containers.UnpauseAsync(c.Id, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<string> CommitFrozenAsync(Container c, string? repo, string? tag, string? comment, string? author, IReadOnlyList<string> changes,
        ContainerConfig? overrides, CancellationToken ct)
    {
        ImageReference? target = null;
        if (!string.IsNullOrEmpty(repo))
        {
            var text = string.IsNullOrEmpty(tag) ? repo : $"{repo}:{tag}";
            if (!ImageReference.TryParse(text, out target)) throw new InvalidArgumentException($"invalid reference format: {text}");
        }
        var baseImage = images.TryResolve(c.Doc.ImageId);
        var config = MergeConfig(c.Doc.Config, overrides, changes);
        using var lease = gate.Enter();

        var diffIds = new List<string>(baseImage?.DiffIds ?? []);
        var blobs = new List<string>(baseImage?.LayerDigests ?? []);
        var tmp = content.IngestPath("commit-" + Guid.NewGuid().ToString("N"));
        var emptyLayer = true;
        try
        {
            await using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.Asynchronous))
            {
                await RootfsTarWriter.WriteAsync(c.Doc.UpperDir, fs, ct).ConfigureAwait(false);
                fs.Position = 0;
                await using (var probe = new TarReader(fs, leaveOpen: true))
                    emptyLayer = await probe.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is null;
                fs.Position = 0;
                if (!emptyLayer)
                {
                    var blob = await content.WriteAsync(fs, null, ct).ConfigureAwait(false);
                    var parent = diffIds.Count == 0 ? null : LayerStore.ChainId(diffIds);
                    await using var stored = content.OpenRead(blob);
                    var layer = await layers.ApplyLayerAsync(parent, stored, blob.ToString(), ct).ConfigureAwait(false);
                    diffIds.Add(layer.DiffId);
                    blobs.Add(blob.ToString());
                }
            }
        }
        finally
        {
            File.Delete(tmp);
        }

        var created = DateTimeOffset.UtcNow;
        var node = (baseImage is null ? null : JsonNode.Parse(baseImage.ConfigJson) as JsonObject) ?? new JsonObject { ["architecture"] = Distribution.Manifests.Platform.Host.Architecture, ["os"] = "linux" };
        node["config"] = JsonSerializer.SerializeToNode(config, ApiJsonContext.Default.ContainerConfig);
        node["container"] = c.Id;
        node["created"] = FormatTime(created);
        if (!string.IsNullOrEmpty(author)) node["author"] = author; else node.Remove("author");
        if (!string.IsNullOrEmpty(comment)) node["comment"] = comment; else node.Remove("comment");
        var history = node["history"] as JsonArray ?? [];
        var entry = new JsonObject { ["created"] = FormatTime(created) };
        if (!string.IsNullOrEmpty(author)) entry["author"] = author;
        entry["created_by"] = string.Join(' ', c.Doc.Config.Cmd ?? []);
        if (!string.IsNullOrEmpty(comment)) entry["comment"] = comment;
        if (emptyLayer) entry["empty_layer"] = true;
        history.Add((JsonNode)entry);
        node["history"] = history;
        node["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray([.. diffIds.Select(d => (JsonNode)JsonValue.Create(d)!)]) };

        var json = node.ToJsonString();
        var configDigest = await content.WriteAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), null, ct).ConfigureAwait(false);
        var id = configDigest.ToString();
        var size = diffIds.Count == 0 ? 0 : Enumerable.Range(1, diffIds.Count).Sum(i => layers.GetLayer(LayerStore.ChainId(diffIds.Take(i)))?.Size ?? 0);
        meta.PutImage(new ImageRecord(id, json, diffIds, blobs, baseImage?.Id, created, size));
        if (target is not null) meta.SetTag(ImageService.Canonical(target), id);
        events.Publish("container", "commit", c.Id, new Dictionary<string, string>
        {
            ["comment"] = comment ?? "",
            ["imageID"] = id,
            ["imageRef"] = target?.ToString() ?? "",
            ["name"] = c.Name.TrimStart('/'),
        });
        return id;
    }

    /// <summary>moby's order: the request's config, then <c>--change</c>, then any field still unset taken from the container's config.</summary>
    internal static ContainerConfig MergeConfig(ContainerConfig container, ContainerConfig? overrides, IReadOnlyList<string> changes)
    {
        var result = Clone(overrides) ?? new ContainerConfig();
        CommitChanges.Apply(result, changes);
        var from = Clone(container)!;
        result.Hostname ??= from.Hostname;
        result.Domainname ??= from.Domainname;
        result.User ??= from.User;
        result.WorkingDir ??= from.WorkingDir;
        result.StopSignal ??= from.StopSignal;
        result.Image ??= from.Image;
        result.Shell ??= from.Shell;
        result.Healthcheck ??= from.Healthcheck;
        result.OnBuild ??= from.OnBuild;
        result.Tty |= from.Tty;
        result.OpenStdin |= from.OpenStdin;
        result.StdinOnce |= from.StdinOnce;
        result.AttachStdin |= from.AttachStdin;
        result.AttachStdout |= from.AttachStdout;
        result.AttachStderr |= from.AttachStderr;
        if (result.Cmd is not { Count: > 0 } && result.Entrypoint is not { Count: > 0 })
        {
            result.Cmd = from.Cmd;
            result.Entrypoint = from.Entrypoint;
        }
        var env = from.Env ?? [];
        foreach (var e in result.Env ?? [])
        {
            var key = e.Split('=', 2)[0];
            env.RemoveAll(x => x.Split('=', 2)[0] == key);
            env.Add(e);
        }
        result.Env = env.Count == 0 ? null : env;
        if (from.Labels is not null)
        {
            result.Labels ??= [];
            foreach (var (k, v) in from.Labels) result.Labels.TryAdd(k, v);
        }
        if (from.ExposedPorts is not null)
        {
            result.ExposedPorts ??= [];
            foreach (var (k, v) in from.ExposedPorts) result.ExposedPorts.TryAdd(k, v);
        }
        if (from.Volumes is not null)
        {
            result.Volumes ??= [];
            foreach (var (k, v) in from.Volumes) result.Volumes.TryAdd(k, v);
        }
        return result;
    }

    private static ContainerConfig? Clone(ContainerConfig? c) =>
        c is null ? null : JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(c, ApiJsonContext.Default.ContainerConfig), ApiJsonContext.Default.ContainerConfig);

    private static string FormatTime(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.') + "Z";
}
