using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Api.Models.Volumes;
using Berth.Core.Errors;
using Berth.Core.Ids;
using Berth.Services.Events;
using Berth.Storage;
using Berth.Storage.Volumes;

namespace Berth.Services.Volumes;

/// <summary>
/// Volumes: create (idempotent for an existing name, as Docker), list with filters, inspect, remove (refused while a container
/// refers to the volume), prune, and the mount/unmount calls container start and stop make. Only the <c>local</c> driver exists.
/// </summary>
public sealed class VolumeService
{
    /// <summary>Docker 23+ marks volumes made for <c>-v /path</c>, image VOLUMEs and nameless creates; prune removes only these by default.</summary>
    public const string AnonymousLabel = "com.docker.volume.anonymous";

    private readonly MetadataStore _meta;
    private readonly LocalVolumeDriver _driver;
    private readonly EventHub _events;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Lock _leaseLock = new();
    private readonly Dictionary<string, List<string>> _leases = new(StringComparer.Ordinal);

    public VolumeService(MetadataStore meta, LocalVolumeDriver driver, EventHub events, TimeProvider? time = null)
    {
        _meta = meta; _driver = driver; _events = events;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Ids of the containers referring to a volume (set by the container service: it owns the mount points).</summary>
    public Func<string, IReadOnlyList<string>> UsersOf { get; set; } = _ => [];

    public Volume Create(VolumeCreateRequest request) => ToApi(CreateRecord(request.Name, request.Driver, request.DriverOpts, request.Labels));

    internal VolumeRecord CreateRecord(string? name, string? driver, IReadOnlyDictionary<string, string>? options, IReadOnlyDictionary<string, string>? labels)
    {
        driver = string.IsNullOrEmpty(driver) ? LocalVolumeDriver.Name : driver;
        if (driver != LocalVolumeDriver.Name) throw new NotFoundException($"error looking up volume plugin {driver}: plugin \"{driver}\" not found");
        var anonymous = string.IsNullOrEmpty(name);
        name = anonymous ? IdGenerator.NewId() : name!;
        LocalVolumeDriver.ValidateName(name);
        var labelMap = new Dictionary<string, string>(labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (anonymous) labelMap[AnonymousLabel] = "";
        lock (_lock)
        {
            if (_meta.GetVolume(name) is { } existing)
            {
                // Docker hands back the existing volume; only a different driver is a conflict.
                if (existing.Driver != driver) throw new ConflictException($"create {name}: volume name must be unique");
                return existing;
            }
            var record = new VolumeRecord(name, driver, _time.GetUtcNow(), labelMap, new Dictionary<string, string>(options ?? new Dictionary<string, string>(), StringComparer.Ordinal), anonymous);
            try
            {
                _driver.Create(name, record.Options);
            }
            catch (InvalidArgumentException e)
            {
                // dockerd's volume service names the volume: "create NAME: invalid option: ...".
                throw new InvalidArgumentException($"create {name}: {e.Message}");
            }
            _meta.AddVolume(record);
            _events.Publish("volume", "create", name, new Dictionary<string, string> { ["driver"] = driver });
            return record;
        }
    }

    /// <summary>The volume a <c>-v name:/path</c> names, created on first use as Docker does.</summary>
    internal VolumeRecord GetOrCreate(string name, IReadOnlyDictionary<string, string>? options = null, IReadOnlyDictionary<string, string>? labels = null) =>
        _meta.GetVolume(name) ?? CreateRecord(name, null, options, labels);

    internal VolumeRecord CreateAnonymous() => CreateRecord(null, null, null, null);

    public Volume Inspect(string name) => ToApi(Get(name));

    internal VolumeRecord Get(string name) => _meta.GetVolume(name) ?? throw new NotFoundException($"get {name}: no such volume");

    internal string DataPath(string name) => _driver.DataPath(name);

    internal bool IsEmpty(string name) => _driver.IsEmpty(name);

    /// <summary>
    /// Makes the volumes' data available for a starting container and returns name → host path. Idempotent per container, so a
    /// daemon restart can re-register what running containers hold; <see cref="Release"/> gives them back.
    /// </summary>
    internal Dictionary<string, string> Acquire(string containerId, IEnumerable<string> names)
    {
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        lock (_leaseLock)
        {
            var held = _leases.TryGetValue(containerId, out var h) ? h : [];
            var taken = new List<string>();
            try
            {
                foreach (var name in names.Distinct(StringComparer.Ordinal))
                {
                    var v = Get(name);
                    paths[name] = held.Contains(name) ? _driver.DataPath(name) : _driver.Mount(name, v.Options);
                    if (!held.Contains(name))
                    {
                        taken.Add(name);
                        _events.Publish("volume", "mount", name, new Dictionary<string, string> { ["driver"] = v.Driver, ["container"] = containerId });
                    }
                }
            }
            catch
            {
                foreach (var name in taken) UnmountQuietly(name);
                throw;
            }
            _leases[containerId] = [.. held, .. taken];
        }
        return paths;
    }

    /// <summary>Gives back what <see cref="Acquire"/> took for the container (the last user of a tmpfs volume unmounts it).</summary>
    internal void Release(string containerId)
    {
        List<string>? held;
        lock (_leaseLock)
        {
            if (!_leases.Remove(containerId, out held)) return;
        }
        foreach (var name in held)
        {
            UnmountQuietly(name);
            _events.Publish("volume", "unmount", name, new Dictionary<string, string> { ["driver"] = LocalVolumeDriver.Name, ["container"] = containerId });
        }
    }

    private void UnmountQuietly(string name)
    {
        if (_meta.GetVolume(name) is { } v) _driver.Unmount(name, v.Options);
    }

    internal bool HasMountOptions(string name) => _meta.GetVolume(name) is { Options.Count: > 0 };

    public VolumeListResponse List(IReadOnlyDictionary<string, IReadOnlyList<string>> filters)
    {
        Filters.Validate(filters, "dangling", "driver", "label", "name");
        var result = new VolumeListResponse { Warnings = null };
        foreach (var v in _meta.ListVolumes())
        {
            if (Matches(v, filters)) result.Volumes.Add(ToApi(v));
        }
        return result;
    }

    public void Remove(string name, bool force)
    {
        lock (_lock)
        {
            if (_meta.GetVolume(name) is null)
            {
                if (force) return;
                throw new NotFoundException($"get {name}: no such volume");
            }
            var users = UsersOf(name);
            if (users.Count > 0) throw new ConflictException($"remove {name}: volume is in use - [{string.Join(", ", users)}]");
            DeleteLocked(name);
        }
    }

    /// <summary>Removes the given volumes when no container refers to them any more (<c>rm -v</c>, <c>--rm</c>); errors are the caller's to log.</summary>
    internal void RemoveIfUnused(string name)
    {
        lock (_lock)
        {
            if (_meta.GetVolume(name) is null || UsersOf(name).Count > 0) return;
            DeleteLocked(name);
        }
    }

    public VolumePruneResponse Prune(IReadOnlyDictionary<string, IReadOnlyList<string>> filters)
    {
        Filters.Validate(filters, "label", "label!", "all");
        var all = filters.TryGetValue("all", out var a) && a.Any(x => x is "true" or "1");
        var response = new VolumePruneResponse();
        lock (_lock)
        {
            foreach (var v in _meta.ListVolumes())
            {
                if (!all && !v.Labels.ContainsKey(AnonymousLabel)) continue;
                if (filters.TryGetValue("label", out var want) && !want.All(l => LabelMatches(v.Labels, l))) continue;
                if (filters.TryGetValue("label!", out var notWant) && notWant.Any(l => LabelMatches(v.Labels, l))) continue;
                if (UsersOf(v.Name).Count > 0) continue;
                response.SpaceReclaimed += DeleteLocked(v.Name);
                response.VolumesDeleted.Add(v.Name);
            }
        }
        _events.Publish("volume", "prune", "", new Dictionary<string, string> { ["reclaimed"] = response.SpaceReclaimed.ToString(CultureInfo.InvariantCulture) });
        return response;
    }

    private long DeleteLocked(string name)
    {
        // The record goes first: a crash after it leaves only a directory, which the driver's next sweep cannot see as a volume.
        var v = _meta.GetVolume(name);
        _meta.DeleteVolume(name);
        var size = _driver.Remove(name);
        _events.Publish("volume", "destroy", name, new Dictionary<string, string> { ["driver"] = v?.Driver ?? LocalVolumeDriver.Name });
        return size;
    }

    private bool Matches(VolumeRecord v, IReadOnlyDictionary<string, IReadOnlyList<string>> filters)
    {
        foreach (var (key, values) in filters)
        {
            var ok = key switch
            {
                "dangling" => values.All(x => ParseBool(x) == (UsersOf(v.Name).Count == 0)),
                "driver" => values.Any(x => x == v.Driver),
                "label" => values.All(x => LabelMatches(v.Labels, x)),
                "name" => values.Any(x => v.Name.Contains(x, StringComparison.Ordinal) || SafeRegex(x, v.Name)),
                _ => true,
            };
            if (!ok) return false;
        }
        return true;
    }

    private static bool ParseBool(string s) => s.ToLowerInvariant() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new InvalidArgumentException($"invalid filter 'dangling={s}'"),
    };

    private static bool SafeRegex(string pattern, string value)
    {
        try { return Regex.IsMatch(value, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100)); }
        catch (ArgumentException) { return false; }
    }

    internal static bool LabelMatches(IReadOnlyDictionary<string, string> labels, string filter)
    {
        var eq = filter.IndexOf('=');
        if (eq < 0) return labels.ContainsKey(filter);
        return labels.TryGetValue(filter[..eq], out var value) && value == filter[(eq + 1)..];
    }

    internal Volume ToApi(VolumeRecord v) => new()
    {
        Name = v.Name,
        Driver = v.Driver,
        Mountpoint = _driver.DataPath(v.Name),
        CreatedAt = v.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        Labels = new Dictionary<string, string>(v.Labels),
        Scope = "local",
        Options = v.Options.Count > 0 ? new Dictionary<string, string>(v.Options) : null,
    };
}
