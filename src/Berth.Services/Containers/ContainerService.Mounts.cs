using Berth.Api.Models.Containers;
using Berth.Runtime;
using Berth.Services.Volumes;
using Berth.Storage;
using Berth.Storage.Archive;

namespace Berth.Services.Containers;

/// <summary>Mount points: resolution at create, volume copy-up, volume leases across start/stop, inspect's Mounts, file views.</summary>
public sealed partial class ContainerService
{
    private VolumeService? _volumes;

    /// <summary>The volume service (set by the daemon). Without it only binds and tmpfs mounts work.</summary>
    public VolumeService? Volumes
    {
        get => _volumes;
        set
        {
            _volumes = value;
            if (value is not null) value.UsersOf = ContainersUsingVolume;
        }
    }

    public IReadOnlyList<string> ContainersUsingVolume(string name) =>
        [.. _byId.Values.Where(c => c.Doc.MountPoints?.Any(m => m.Type == "volume" && m.Name == name) == true).Select(c => c.Id)];

    internal List<ContainerMount> ResolveMounts(HostConfig host, ContainerConfig config) => MountResolver.Resolve(host, config, _volumes, Get);

    /// <summary>
    /// Copies the image's content at each volume destination into volumes that are still empty (Docker's copy-up at create), through
    /// a private mount of the new container's rootfs. Volumes with mount options are skipped: their data appears only once mounted.
    /// </summary>
    internal async Task CopyUpAsync(ContainerDocument d, CancellationToken ct)
    {
        var volumes = _volumes;
        if (volumes is null || d.MountPoints is null) return;
        var todo = d.MountPoints.Where(m => m.Type == "volume" && m.CopyData && m.Name is not null && !volumes.HasMountOptions(m.Name) && volumes.IsEmpty(m.Name)).ToList();
        if (todo.Count == 0 || d.TopChainId is null) return;
        using var view = await OpenStoppedViewAsync(d, withMounts: false);
        foreach (var m in todo)
        {
            using var target = RootedTree.Open(volumes.DataPath(m.Name!));
            await view.Tree.CopyDirectoryIntoAsync(m.Destination, target, ct);
        }
    }

    /// <summary>Mounts the volumes a starting container uses and renders all its mounts for the runtime (the LaunchBuilder hook).</summary>
    internal List<SpecMount> BuildUserMounts(ContainerDocument d)
    {
        var mounts = d.MountPoints ?? LegacyMounts(d.HostConfig);
        foreach (var m in mounts.Where(m => m.Type == "bind" && m.Propagation is "shared" or "rshared" or "slave" or "rslave"))
            MountPropagation.EnsureSupported(m.Source, m.Propagation);
        var names = mounts.Where(m => m.Type == "volume" && m.Name is not null).Select(m => m.Name!).ToList();
        var paths = names.Count > 0 && _volumes is not null ? _volumes.Acquire(d.Id, names) : new Dictionary<string, string>();
        foreach (var m in mounts.Where(m => m.Subpath is not null && m.Name is not null && paths.ContainsKey(m.Name))) CheckSubpath(paths[m.Name!], m.Subpath!);
        return MountResolver.ToSpecMounts(mounts, d.HostConfig.Tmpfs, paths);
    }

    /// <summary>
    /// The runtime binds volume/subpath by host path, following links: a symlink planted in the volume could make it mount a host
    /// directory. So the subpath must exist inside the volume with no symlink on the way.
    /// </summary>
    internal static void CheckSubpath(string volumePath, string subpath)
    {
        using var tree = RootedTree.Open(volumePath);
        var clean = MountResolver.CleanPath(subpath);
        if (tree.ResolveInScope(clean) != clean) throw new Core.Errors.InvalidArgumentException($"cannot access path {subpath}: the subpath must not contain symlinks");
        try { tree.Stat(clean); }
        catch (Core.Errors.NotFoundException ex) { throw new Core.Errors.InvalidArgumentException($"cannot access path {subpath}: no such file or directory", ex); }
    }

    // Containers persisted before mount points existed kept their raw binds only.
    private static List<ContainerMount> LegacyMounts(HostConfig host) => [.. (host.Binds ?? []).Select(MountResolver.ParseBind).Where(m => m.Type == "bind")];

    /// <summary>Gives back the container's volume leases once it no longer runs.</summary>
    internal void ReleaseVolumes(string id) => _volumes?.Release(id);

    /// <summary>After a daemon restart: running containers hold their volumes again, so a tmpfs volume is not unmounted under them.</summary>
    public void RestoreVolumeLeases()
    {
        if (_volumes is null) return;
        foreach (var c in _byId.Values.Where(c => c.Doc.State.Running && c.Doc.MountPoints is not null))
        {
            var names = c.Doc.MountPoints!.Where(m => m.Type == "volume" && m.Name is not null).Select(m => m.Name!).ToList();
            try { _volumes.Acquire(c.Id, names); }
            catch (Exception ex) { _log($"container {c.Id}: volumes: {ex.Message}"); } // the container keeps running; only the count is off
        }
    }

    /// <summary>Removes the container's anonymous volumes that no other container refers to (<c>rm -v</c>, <c>--rm</c>).</summary>
    internal void RemoveAnonymousVolumes(ContainerDocument d)
    {
        if (_volumes is null || d.MountPoints is null) return;
        foreach (var m in d.MountPoints.Where(m => m.Type == "volume" && m.Anonymous && m.Name is not null))
        {
            try { _volumes.RemoveIfUnused(m.Name!); }
            catch (Exception ex) { _log($"remove volume {m.Name}: {ex.Message}"); } // Docker logs and goes on: the container is gone already
        }
    }

    internal static List<MountPoint> MountPointsOf(ContainerDocument d) =>
        [.. (d.MountPoints ?? []).Select(m => new MountPoint
        {
            Type = m.Type, Name = m.Type == "volume" ? m.Name : null, Source = m.Type == "tmpfs" ? "" : m.Source, Destination = m.Destination,
            Driver = m.Type == "volume" ? m.Driver : null, Mode = m.Mode, RW = m.RW, Propagation = m.Propagation,
        })];

    /// <summary>Opens the container's files: the live root of a running one, else a private mount of its rootfs and mounts. The caller holds the container's lock.</summary>
    internal async Task<ContainerFsView> OpenFsViewAsync(Container c)
    {
        var d = c.Doc;
        if (d.State.Running && d.State.Pid > 0)
        {
            var tree = RootedTree.Open($"/proc/{d.State.Pid}/root");
            if (c.Doc.State.Running) return new ContainerFsView(tree, null);
            tree.Dispose();   // it exited while we opened; the pid may be someone else's now
        }
        return await OpenStoppedViewAsync(d, withMounts: true);
    }

    private async Task<ContainerFsView> OpenStoppedViewAsync(ContainerDocument d, bool withMounts)
    {
        var lowers = d.TopChainId is null ? [] : _layers.LowerDirs(d.TopChainId).ToList();
        if (lowers.Count == 0)
        {
            var empty = Path.Combine(_root.ContainerDir(d.Id), "empty");
            Directory.CreateDirectory(empty);
            lowers.Add(empty);
        }
        var binds = new List<(string Source, string Destination, bool ReadOnly)>();
        if (withMounts)
        {
            foreach (var m in d.MountPoints ?? [])
            {
                if (m.Type == "bind") binds.Add((m.Source, m.Destination, !m.RW));
                // A volume with mount options has no data while unmounted (a tmpfs one has none at all): show its directory only.
                else if (m.Type == "volume" && m.Name is not null && _volumes is not null)
                    binds.Add((m.Subpath is null ? _volumes.DataPath(m.Name) : Path.Join(_volumes.DataPath(m.Name), m.Subpath), m.Destination, !m.RW));
            }
        }
        RootedTree? tree = null;
        var ns = await PrivateMountNamespace.StartAsync(() =>
        {
            RootfsMounter.MountOverlay(lowers, d.UpperDir, d.WorkDir, d.RootfsDir);
            var t = RootedTree.Open(d.RootfsDir);
            try
            {
                foreach (var (source, destination, ro) in binds.OrderBy(b => b.Destination.Split('/', StringSplitOptions.RemoveEmptyEntries).Length))
                    t.BindMount(source, destination, ro);
            }
            catch
            {
                t.Dispose();
                throw;
            }
            tree = t;
        });
        return new ContainerFsView(tree!, ns);
    }
}
