using System.Globalization;
using Berth.Api.Models.Containers;
using Berth.Core.Errors;
using Berth.Runtime;
using Berth.Services.Volumes;

namespace Berth.Services.Containers;

/// <summary>
/// Turns a create request's <c>Binds</c>, <c>Mounts</c>, <c>VolumesFrom</c> and the config's (image's) <c>Volumes</c> into the
/// container's mount points, in moby's order (<c>registerMountPoints</c>): volumes-from first, then binds and --mount (which must not
/// collide with each other), then an anonymous volume for every VOLUME path not yet covered. At start it renders them as OCI mounts.
/// </summary>
internal static class MountResolver
{
    private static readonly string[] Propagations = ["shared", "rshared", "slave", "rslave", "private", "rprivate"];
    private static readonly string[] Consistencies = ["consistent", "cached", "delegated"];

    /// <summary>Parses and resolves every mount of a new container; named volumes that do not exist yet are created, as Docker does.</summary>
    public static List<ContainerMount> Resolve(HostConfig host, ContainerConfig config, VolumeService? volumes, Func<string, Container> containerLookup)
    {
        var byDest = new Dictionary<string, ContainerMount>(StringComparer.Ordinal);
        foreach (var from in host.VolumesFrom ?? [])
        {
            var (id, mode) = SplitVolumesFrom(from);
            var other = containerLookup(id);
            foreach (var m in other.Doc.MountPoints ?? [])
            {
                if (m.Type == "tmpfs") continue;
                var copy = Clone(m);
                copy.Anonymous = false;   // the volume belongs to the container that made it
                copy.CopyData = false;
                if (mode == "ro") copy.RW = false;
                else if (mode == "rw") copy.RW = true;
                byDest[copy.Destination] = copy;
            }
        }

        var explicitDest = new HashSet<string>(StringComparer.Ordinal);
        foreach (var bind in host.Binds ?? [])
        {
            var m = ParseBind(bind);
            if (!explicitDest.Add(m.Destination)) throw new InvalidArgumentException($"Duplicate mount point: {m.Destination}");
            byDest[m.Destination] = m;
        }
        foreach (var spec in host.Mounts ?? [])
        {
            var m = ParseMount(spec);
            if (!explicitDest.Add(m.Destination)) throw new InvalidArgumentException($"Duplicate mount point: {m.Destination}");
            byDest[m.Destination] = m;
        }
        foreach (var path in (config.Volumes ?? []).Keys)
        {
            var dest = CleanDestination(path, path, "volume");
            if (byDest.ContainsKey(dest) || (host.Tmpfs?.ContainsKey(dest) ?? false)) continue;
            byDest[dest] = new ContainerMount { Type = "volume", Destination = dest, Driver = "local", RW = true, CopyData = true, Anonymous = true };
        }

        var result = byDest.Values.ToList();
        if (volumes is not null) CreateVolumes(result, volumes, host.Mounts);
        return result;
    }

    private static void CreateVolumes(List<ContainerMount> mounts, VolumeService volumes, List<MountSpec>? specs)
    {
        foreach (var m in mounts.Where(m => m.Type == "volume"))
        {
            var spec = specs?.FirstOrDefault(s => s.Type == "volume" && CleanPath(s.Target ?? "") == m.Destination);
            var record = m.Name is null ? volumes.CreateAnonymous() : volumes.GetOrCreate(m.Name, null, spec?.VolumeOptions?.Labels);
            m.Name = record.Name;
            m.Source = volumes.DataPath(record.Name);
            m.Driver = record.Driver;
            if (m.Anonymous && !record.Labels.ContainsKey(VolumeService.AnonymousLabel)) m.Anonymous = false;
        }
    }

    private static (string Id, string Mode) SplitVolumesFrom(string spec)
    {
        var colon = spec.LastIndexOf(':');
        if (colon < 0) return (spec, "");
        var mode = spec[(colon + 1)..];
        if (mode is not ("ro" or "rw" or "z" or "Z")) throw new InvalidArgumentException($"invalid mode: {mode}");
        return (spec[..colon], mode);
    }

    /// <summary><c>-v</c>: <c>/dst</c> (anonymous volume), <c>name:/dst[:mode]</c> (named volume), <c>/src:/dst[:mode]</c> (bind).</summary>
    internal static ContainerMount ParseBind(string raw)
    {
        var parts = raw.Split(':');
        if (parts.Length is < 1 or > 3 || parts[0].Length == 0) throw new InvalidArgumentException($"invalid volume specification: '{raw}'");
        if (parts.Length == 1)
            return new ContainerMount { Type = "volume", Destination = CleanDestination(raw, parts[0], "volume"), Driver = "local", RW = true, CopyData = true, Anonymous = true };

        var (source, dest, mode) = (parts[0], parts[1], parts.Length == 3 ? parts[2] : "");
        var flags = ParseMode(raw, mode);
        var isBind = source.StartsWith('/');
        var type = isBind ? "bind" : "volume";
        var m = new ContainerMount
        {
            Type = type,
            Destination = CleanDestination(raw, dest, type),
            Mode = mode,
            RW = !flags.Contains("ro"),
            Propagation = isBind ? flags.FirstOrDefault(Propagations.Contains) ?? "rprivate" : "",
        };
        if (isBind)
        {
            if (!source.StartsWith('/')) throw new InvalidArgumentException($"invalid volume specification: '{raw}': invalid mount config for type \"bind\": invalid mount path: '{source}' mount path must be absolute");
            if (flags.Contains("nocopy")) throw new InvalidArgumentException($"invalid volume specification: '{raw}': invalid mode: {mode}");
            m.Source = CleanPath(source);
            // -v creates a missing host directory (--mount refuses instead).
            if (!Path.Exists(m.Source)) Directory.CreateDirectory(m.Source);
            return m;
        }
        if (flags.Any(Propagations.Contains)) throw new InvalidArgumentException($"invalid volume specification: '{raw}': invalid mode: {mode}");
        Storage.Volumes.LocalVolumeDriver.ValidateName(source);
        m.Name = source;
        m.Driver = "local";
        m.Mode = mode.Length == 0 ? "z" : mode;
        m.CopyData = !flags.Contains("nocopy");
        return m;
    }

    private static HashSet<string> ParseMode(string raw, string mode)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (mode.Length == 0) return set;
        int rw = 0, label = 0, prop = 0, copy = 0, consistency = 0;
        foreach (var f in mode.Split(','))
        {
            if (f is "rw" or "ro") rw++;
            else if (f is "z" or "Z") label++;
            else if (Propagations.Contains(f)) prop++;
            else if (f == "nocopy") copy++;
            else if (Consistencies.Contains(f)) consistency++;
            else throw new InvalidArgumentException($"invalid volume specification: '{raw}': invalid mode: {mode}");
            set.Add(f);
        }
        if (rw > 1 || label > 1 || prop > 1 || copy > 1 || consistency > 1)
            throw new InvalidArgumentException($"invalid volume specification: '{raw}': invalid mode: {mode}");
        return set;
    }

    /// <summary><c>--mount type=volume|bind|tmpfs,…</c> (the API's <c>HostConfig.Mounts</c>).</summary>
    internal static ContainerMount ParseMount(MountSpec s)
    {
        var type = string.IsNullOrEmpty(s.Type) ? "volume" : s.Type;
        string Err(string what) => $"invalid mount config for type \"{type}\": {what}";
        if (string.IsNullOrEmpty(s.Target)) throw new InvalidArgumentException(Err("field Target must not be empty"));
        var dest = CleanDestination(s.Target, s.Target, type);
        switch (type)
        {
            case "bind":
                if (string.IsNullOrEmpty(s.Source)) throw new InvalidArgumentException(Err("field Source must not be empty"));
                if (!s.Source.StartsWith('/')) throw new InvalidArgumentException(Err($"invalid mount path: '{s.Source}' mount path must be absolute"));
                if (s.VolumeOptions is not null) throw new InvalidArgumentException(Err("field VolumeOptions must not be specified"));
                if (s.TmpfsOptions is not null) throw new InvalidArgumentException(Err("field TmpfsOptions must not be specified"));
                var src = CleanPath(s.Source);
                if (!Path.Exists(src) && s.BindOptions?.CreateMountpoint != true) throw new InvalidArgumentException(Err($"bind source path does not exist: {src}"));
                if (!Path.Exists(src)) Directory.CreateDirectory(src);
                var prop = s.BindOptions?.Propagation;
                if (!string.IsNullOrEmpty(prop) && !Propagations.Contains(prop)) throw new InvalidArgumentException(Err($"invalid propagation mode: {prop}"));
                return new ContainerMount
                {
                    Type = "bind",
                    Source = src,
                    Destination = dest,
                    RW = !s.ReadOnly,
                    Propagation = string.IsNullOrEmpty(prop) ? "rprivate" : prop,
                    NonRecursive = s.BindOptions?.NonRecursive ?? false,
                };
            case "volume":
                if (s.BindOptions is not null) throw new InvalidArgumentException(Err("field BindOptions must not be specified"));
                if (s.TmpfsOptions is not null) throw new InvalidArgumentException(Err("field TmpfsOptions must not be specified"));
                var subpath = s.VolumeOptions?.Subpath;
                if (!string.IsNullOrEmpty(subpath) && (subpath.StartsWith('/') || subpath.Split('/').Contains("..")))
                    throw new InvalidArgumentException(Err($"subpath must be a relative path within the volume: {subpath}"));
                if (!string.IsNullOrEmpty(s.Source)) Storage.Volumes.LocalVolumeDriver.ValidateName(s.Source);
                return new ContainerMount
                {
                    Type = "volume",
                    Name = string.IsNullOrEmpty(s.Source) ? null : s.Source,
                    Destination = dest,
                    Driver = "local",
                    RW = !s.ReadOnly,
                    CopyData = !(s.VolumeOptions?.NoCopy ?? false) && string.IsNullOrEmpty(subpath),
                    Anonymous = string.IsNullOrEmpty(s.Source),
                    Subpath = string.IsNullOrEmpty(subpath) ? null : subpath,
                };
            case "tmpfs":
                if (!string.IsNullOrEmpty(s.Source)) throw new InvalidArgumentException(Err("field Source must not be specified"));
                if (s.BindOptions is not null || s.VolumeOptions is not null) throw new InvalidArgumentException(Err("field BindOptions must not be specified"));
                return new ContainerMount
                {
                    Type = "tmpfs",
                    Destination = dest,
                    RW = !s.ReadOnly,
                    TmpfsSize = s.TmpfsOptions?.SizeBytes ?? 0,
                    TmpfsMode = s.TmpfsOptions?.Mode ?? 0,
                };
            default:
                throw new InvalidArgumentException(Err("mount type unknown"));
        }
    }

    private static string CleanDestination(string raw, string dest, string type)
    {
        if (!dest.StartsWith('/'))
            throw new InvalidArgumentException($"invalid volume specification: '{raw}': invalid mount config for type \"{type}\": invalid mount path: '{dest}' mount path must be absolute");
        var clean = CleanPath(dest);
        if (clean == "/") throw new InvalidArgumentException($"invalid specification: destination can't be '/'");
        return clean;
    }

    internal static string CleanPath(string p)
    {
        var parts = new List<string>();
        foreach (var s in p.Split('/'))
        {
            if (s is "" or ".") continue;
            if (s == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(s);
        }
        return "/" + string.Join('/', parts);
    }

    private static ContainerMount Clone(ContainerMount m) => new()
    {
        Type = m.Type,
        Name = m.Name,
        Source = m.Source,
        Destination = m.Destination,
        Driver = m.Driver,
        Mode = m.Mode,
        RW = m.RW,
        Propagation = m.Propagation,
        CopyData = m.CopyData,
        Anonymous = m.Anonymous,
        Subpath = m.Subpath,
        NonRecursive = m.NonRecursive,
        TmpfsSize = m.TmpfsSize,
        TmpfsMode = m.TmpfsMode,
    };

    /// <summary>
    /// The OCI mounts of a starting container, parents before children: its mount points (volume sources from
    /// <paramref name="volumePaths"/>, which the caller mounted) and the <c>--tmpfs</c> ones.
    /// </summary>
    public static List<SpecMount> ToSpecMounts(IReadOnlyList<ContainerMount> mounts, IReadOnlyDictionary<string, string>? tmpfs, IReadOnlyDictionary<string, string> volumePaths)
    {
        var result = new List<SpecMount>();
        foreach (var m in mounts)
        {
            switch (m.Type)
            {
                case "volume":
                    var source = m.Name is not null && volumePaths.TryGetValue(m.Name, out var p) ? p : m.Source;
                    if (m.Subpath is not null) source = Path.Join(source, m.Subpath);
                    result.Add(new SpecMount(m.Destination, "bind", source, ["rbind", m.RW ? "rw" : "ro", "rprivate"]));
                    break;
                case "bind":
                    result.Add(new SpecMount(m.Destination, "bind", m.Source, [m.NonRecursive ? "bind" : "rbind", m.RW ? "rw" : "ro", m.Propagation.Length > 0 ? m.Propagation : "rprivate"]));
                    break;
                case "tmpfs":
                    var options = new List<string> { "nosuid", "nodev", "noexec" };
                    if (!m.RW) options.Add("ro");
                    if (m.TmpfsSize > 0) options.Add("size=" + m.TmpfsSize.ToString(CultureInfo.InvariantCulture));
                    if (m.TmpfsMode > 0) options.Add("mode=" + Convert.ToString(m.TmpfsMode, 8));
                    result.Add(new SpecMount(m.Destination, "tmpfs", "tmpfs", options));
                    break;
            }
        }
        foreach (var (target, opts) in tmpfs ?? new Dictionary<string, string>())
        {
            var options = new List<string> { "nosuid", "nodev", "noexec" };
            if (!string.IsNullOrEmpty(opts)) options.AddRange(opts.Split(','));
            result.Add(new SpecMount(CleanPath(target), "tmpfs", "tmpfs", options));
        }
        return [.. result.OrderBy(m => m.Destination.Split('/', StringSplitOptions.RemoveEmptyEntries).Length)];
    }
}
