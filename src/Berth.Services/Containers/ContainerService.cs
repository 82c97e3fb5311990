using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Api.Models.Containers;
using Berth.Core.Errors;
using Berth.Core.Ids;
using Berth.Runtime;
using Berth.Services.Events;
using Berth.Services.Images;
using Berth.Services.Logs;
using Berth.Storage;

namespace Berth.Services.Containers;

/// <summary>
/// Containers: creation from an image and a create request, lookup by id/prefix/name, listing and inspect. Lifecycle
/// (start/stop/kill/exit/remove) lives in ContainerService.Lifecycle.cs, streams in ContainerService.Io.cs.
/// </summary>
public sealed partial class ContainerService
{
    private static readonly Regex ValidName = new("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$", RegexOptions.Compiled);

    private readonly ConcurrentDictionary<string, Container> _byId = new(StringComparer.Ordinal);
    private readonly Lock _namesLock = new();
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal); // "/web" -> id
    private readonly MetadataStore _meta;
    private readonly LayerStore _layers;
    private readonly DataRoot _root;
    private readonly IContainerRuntime _runtime;
    private readonly ImageService _images;
    private readonly EventHub _events;
    private readonly DaemonOptions _options;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private readonly Trash _trash;

    public ContainerService(MetadataStore meta, LayerStore layers, DataRoot root, IContainerRuntime runtime, ImageService images,
        EventHub events, DaemonOptions options, TimeProvider? time = null, Action<string>? log = null)
    {
        _meta = meta; _layers = layers; _root = root; _runtime = runtime; _images = images; _events = events; _options = options;
        _time = time ?? TimeProvider.System;
        _log = log ?? (_ => { });
        _runtime.Exited += exit => _ = Task.Run(() => OnExitedAsync(exit));
        _trash = new Trash(Path.Combine(root.Root, "trash"), _log);
    }

    public IEnumerable<Container> All => _byId.Values;

    /// <summary>Set by berthd at --log-level debug: timing lines for the phases of start, exit and remove.</summary>
    public Action<string>? Trace { get; set; }

    /// <summary>Set by the network service when it is wired (the daemon always does; unit tests may not).</summary>
    public Networks.NetworkService? Networks { get; set; }

    public Container Get(string idOrName) => TryGet(idOrName) ?? throw new NotFoundException($"No such container: {idOrName}");

    public Container? TryGet(string idOrName)
    {
        if (string.IsNullOrEmpty(idOrName)) return null;
        if (_byId.TryGetValue(idOrName, out var c)) return c;
        lock (_namesLock)
        {
            if (_names.TryGetValue(idOrName.StartsWith('/') ? idOrName : "/" + idOrName, out var id) && _byId.TryGetValue(id, out c)) return c;
        }
        Container? found = null;
        foreach (var candidate in _byId.Values)
        {
            if (!candidate.Id.StartsWith(idOrName, StringComparison.Ordinal)) continue;
            if (found is not null) throw new InvalidArgumentException($"Multiple IDs found with provided prefix: {idOrName}");
            found = candidate;
        }
        return found;
    }

    public int CountUsingImage(string imageId) => _byId.Values.Count(c => c.Doc.ImageId == imageId);

    public string? FirstUsingImage(string imageId) => _byId.Values.FirstOrDefault(c => c.Doc.ImageId == imageId)?.Id;

    public async Task<ContainerCreateResponse> CreateAsync(string? name, ContainerCreateRequest request, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.Image)) throw new InvalidArgumentException("No image specified");
        var host = request.HostConfig ?? new HostConfig();
        ValidateHostConfig(host, Networks is not null);
        var image = _images.Resolve(request.Image);
        var imageConfig = ImageService.ReadConfig(image).Config ?? new ContainerConfig();
        var config = ConfigMerger.Merge(request.ToConfig(), imageConfig);
        if ((config.Entrypoint?.Count ?? 0) + (config.Cmd?.Count ?? 0) == 0) throw new InvalidArgumentException("No command specified");

        var id = IdGenerator.NewId();
        var fullName = ReserveName(name, id);
        List<ContainerMount>? mounts = null;
        try
        {
            mounts = ResolveMounts(host, config);
            config.Hostname = string.IsNullOrEmpty(config.Hostname) ? id[..12] : config.Hostname;
            config.Image = request.Image;
            host.NetworkMode = string.IsNullOrEmpty(host.NetworkMode) || host.NetworkMode == "default" ? "bridge" : host.NetworkMode;
            var networking = Networks?.PrepareCreate(host, request.NetworkingConfig) ?? request.NetworkingConfig;
            host.LogConfig = LogDrivers.Resolve(host.LogConfig, _options);
            host.RestartPolicy ??= new RestartPolicy { Name = "no" };
            if (string.IsNullOrEmpty(host.RestartPolicy.Name)) host.RestartPolicy.Name = "no";
            var (path, args) = ConfigMerger.PathAndArgs(config);
            var dir = _root.ContainerDir(id);
            var topChain = image.DiffIds.Count == 0 ? null : LayerStore.ChainId(image.DiffIds);
            var layer = _layers.PrepareContainerLayer(id, topChain);
            var doc = new ContainerDocument
            {
                Id = id, Name = fullName, ImageId = image.Id, ImageName = request.Image, Created = Timestamps.Format(_time.GetUtcNow()),
                Path = path, Args = args, Config = config, HostConfig = host, NetworkingConfig = networking,
                TopChainId = topChain, RootfsDir = layer.RootfsDir, UpperDir = layer.UpperDir, WorkDir = layer.WorkDir, LogPath = Path.Combine(dir, id + "-json.log"),
                HostsPath = Path.Combine(dir, "hosts"), HostnamePath = Path.Combine(dir, "hostname"), ResolvConfPath = Path.Combine(dir, "resolv.conf"),
                MountPoints = mounts,
            };
            ContainerFiles.Write(doc);
            await CopyUpAsync(doc, ct);
            var container = new Container(doc);
            _byId[id] = container;
            Persist(container);
            _events.Publish("container", "create", id, Attributes(container));
            return new ContainerCreateResponse { Id = id };
        }
        catch
        {
            ReleaseName(fullName);
            _byId.TryRemove(id, out _);
            if (mounts is not null) RemoveAnonymousVolumes(new ContainerDocument { MountPoints = mounts });
            CleanupBestEffort(id);
            throw;
        }
    }

    public ContainerInspectResponse Inspect(string idOrName)
    {
        var c = Get(idOrName);
        var d = c.Doc;
        return new ContainerInspectResponse
        {
            Id = d.Id, Created = d.Created, Path = d.Path, Args = d.Args, State = d.State, Image = d.ImageId,
            ResolvConfPath = d.ResolvConfPath, HostnamePath = d.HostnamePath, HostsPath = d.HostsPath, LogPath = d.LogPath,
            Name = d.Name, RestartCount = d.RestartCount, HostConfig = d.HostConfig, Config = d.Config,
            ExecIDs = ExecIdsOf?.Invoke(d.Id), Mounts = MountPointsOf(d), NetworkSettings = Networks?.SettingsOf(d) ?? NetworkSettingsOf(d),
            GraphDriver = new GraphDriverData { Data = new() { ["UpperDir"] = d.UpperDir, ["WorkDir"] = d.WorkDir, ["MergedDir"] = d.RootfsDir } },
        };
    }

    /// <summary>Set by the exec service so inspect can list a container's execs.</summary>
    public Func<string, List<string>?>? ExecIdsOf { get; set; }

    public List<ContainerSummary> List(bool all, int limit, IReadOnlyDictionary<string, IReadOnlyList<string>> filters)
    {
        var list = ContainerListFilter.Apply(_byId.Values, all, filters, this);
        var ordered = list.OrderByDescending(c => c.Doc.Created, StringComparer.Ordinal);
        var result = new List<ContainerSummary>();
        foreach (var c in limit > 0 ? ordered.Take(limit) : ordered) result.Add(Summary(c));
        return result;
    }

    private ContainerSummary Summary(Container c)
    {
        var d = c.Doc;
        return new ContainerSummary
        {
            Id = d.Id,
            Names = [d.Name],
            Image = d.ImageName,
            ImageID = d.ImageId,
            Command = string.Join(' ', new[] { d.Path }.Concat(d.Args)).Trim(),
            Created = (Timestamps.Parse(d.Created) ?? DateTimeOffset.UnixEpoch).ToUnixTimeSeconds(),
            Labels = d.Config.Labels ?? [],
            State = d.State.Status,
            Status = StatusText.Of(d.State, _time.GetUtcNow()),
            HostConfig = new SummaryHostConfig { NetworkMode = d.HostConfig.NetworkMode ?? "" },
            NetworkSettings = new SummaryNetworkSettings { Networks = (Networks?.SettingsOf(d) ?? NetworkSettingsOf(d)).Networks },
            Ports = Networks?.PortSummaries(d) ?? [],
            Mounts = MountPointsOf(d),
        };
    }

    private static NetworkSettings NetworkSettingsOf(ContainerDocument d)
    {
        var settings = new NetworkSettings { SandboxKey = d.State.Running && d.State.Pid > 0 ? $"/proc/{d.State.Pid}/ns/net" : "" };
        var mode = d.HostConfig.NetworkMode ?? "bridge";
        if (!mode.StartsWith("container:", StringComparison.Ordinal))
            settings.Networks[mode] = new EndpointSettings { NetworkID = "", EndpointID = "" };
        return settings;
    }

    internal Dictionary<string, string> Attributes(Container c, params (string Key, string Value)[] extra)
    {
        var attrs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in c.Doc.Config.Labels ?? []) attrs[k] = v;
        attrs["image"] = c.Doc.ImageName;
        attrs["name"] = c.Doc.Name.TrimStart('/');
        foreach (var (k, v) in extra) attrs[k] = v;
        return attrs;
    }

    internal void Persist(Container c)
    {
        var json = JsonSerializer.Serialize(c.Doc, ServicesJsonContext.Default.ContainerDocument);
        _meta.PutContainer(new ContainerRecord(c.Id, c.Doc.Name, c.Doc.ImageId, Timestamps.Parse(c.Doc.Created) ?? DateTimeOffset.UnixEpoch, json, "{}"));
    }

    public void Rename(string idOrName, string newName)
    {
        var c = Get(idOrName);
        if (string.IsNullOrEmpty(newName)) throw new InvalidArgumentException("Neither old nor new names may be empty");
        var oldName = c.Doc.Name;
        if (oldName == "/" + newName.TrimStart('/')) throw new InvalidArgumentException($"Renaming a container with the same name as its current name");
        var full = ReserveName(newName, c.Id);
        ReleaseName(oldName);
        c.Doc.Name = full;
        Persist(c);
        _events.Publish("container", "rename", c.Id, Attributes(c, ("oldName", oldName)));
    }

    private string ReserveName(string? name, string id)
    {
        lock (_namesLock)
        {
            if (string.IsNullOrEmpty(name))
            {
                var generated = NameGenerator.Next(n => _names.ContainsKey("/" + n));
                _names["/" + generated] = id;
                return "/" + generated;
            }
            if (!ValidName.IsMatch(name)) throw new InvalidArgumentException($"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
            var full = "/" + name.TrimStart('/');
            if (_names.TryGetValue(full, out var other))
                throw new ConflictException($"Conflict. The container name \"{full}\" is already in use by container \"{other}\". You have to remove (or rename) that container to be able to reuse that name.");
            _names[full] = id;
            return full;
        }
    }

    private void ReleaseName(string fullName)
    {
        lock (_namesLock) _names.Remove(fullName);
    }

    private static void ValidateHostConfig(HostConfig host, bool networksWired = false)
    {
        if (host.Memory is > 0 and < 6 * 1024 * 1024) throw new InvalidArgumentException("Minimum memory limit allowed is 6MB");
        if (host.NanoCpus < 0) throw new InvalidArgumentException("Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available");
        if (host.NanoCpus > Environment.ProcessorCount * 1_000_000_000L)
            throw new InvalidArgumentException($"Range of CPUs is from 0.01 to {Environment.ProcessorCount}.00, as there are only {Environment.ProcessorCount} CPUs available");
        if (host.NanoCpus > 0 && (host.CpuPeriod > 0 || host.CpuQuota > 0)) throw new InvalidArgumentException("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        var mode = host.NetworkMode ?? "";
        if (!networksWired && mode.Length > 0 && mode is not ("default" or "bridge" or "none" or "host") && !mode.StartsWith("container:", StringComparison.Ordinal))
            throw new NotFoundException($"network {mode} not found");
        if (host.RestartPolicy?.Name is { Length: > 0 } policy && policy is not ("no" or "always" or "unless-stopped" or "on-failure"))
            throw new InvalidArgumentException($"invalid restart policy: unknown policy '{policy}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        if (host.LogConfig?.Type is { Length: > 0 } driver) LogDrivers.Validate(driver, host.LogConfig.Config);
        if (host.AutoRemove && host.RestartPolicy?.Name is "always" or "unless-stopped" or "on-failure")
            throw new InvalidArgumentException("can't create 'AutoRemove' container with restart policy");
    }

    private void CleanupBestEffort(string id)
    {
        try { _layers.RemoveContainerLayer(id); }
        catch (Exception ex) { _log($"cleanup of {id} failed: {ex.Message}"); } // best effort: the create already failed
    }

    /// <summary>Loads containers from the metadata store at daemon start (before recovery reconciles them with the runtime).</summary>
    public void Load()
    {
        foreach (var record in _meta.ListContainers())
        {
            ContainerDocument? doc;
            try { doc = JsonSerializer.Deserialize(record.ConfigJson, ServicesJsonContext.Default.ContainerDocument); }
            catch (JsonException ex) { _log($"container {record.Id}: unreadable record: {ex.Message}"); continue; }
            if (doc is null) continue;
            var c = new Container(doc);
            _byId[doc.Id] = c;
            lock (_namesLock) _names[doc.Name] = doc.Id;
        }
        DiscardUnownedDirectories();
    }

    /// <summary>
    /// A kill -9 mid-create (directory made, record not yet written) or mid-remove (record deleted, directory not yet
    /// in the trash) leaves containers/&lt;id&gt; with no container; nothing else would ever delete it.
    /// </summary>
    private void DiscardUnownedDirectories()
    {
        foreach (var dir in Directory.EnumerateDirectories(_root.ContainersDir))
        {
            var id = Path.GetFileName(dir);
            if (_byId.ContainsKey(id) || id.StartsWith('.')) continue;
            var rootfs = Path.Combine(dir, "rootfs");
            try
            {
                if (MountPoints.IsMountPoint(rootfs)) RootfsMounter.Unmount(rootfs);
                // Never hand a tree with a live mount in it to the trash: deleting it would reach into the image layers.
                if (MountPoints.IsMountPoint(rootfs)) { _log($"{dir}: no container owns it, but its rootfs stays mounted"); continue; }
                _log($"{dir}: no container owns it (a create or remove cut short): removing");
                _trash.Discard(dir);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EngineException)
            {
                _log($"{dir}: cannot remove: {ex.Message}");
            }
        }
    }
}
