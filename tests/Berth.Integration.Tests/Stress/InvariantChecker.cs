using System.Security.Cryptography;
using System.Text.Json;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Stress;

/// <summary>
/// Checks what a daemon restarted after a kill -9 must guarantee (DESIGN "Data root"): the database is intact and
/// consistent, every visible blob is complete, every image's layers exist, every container is reported in its true
/// state, nothing on the host (mount, cgroup, monitor, runtime state, veth, NAT rule) outlives the container
/// that owned it, and nothing in the data root (unpacked layer, blob, partial ingest, scratch) is left without an owner. Cgroups are host-wide, so they are looked up by every container id this daemon was ever seen to have.
/// </summary>
internal sealed class InvariantChecker(DaemonFixture daemon, StressApi api)
{
    /// <summary>Every container id seen so far (API lists, data root, runtime state, monitors).</summary>
    public HashSet<string> KnownIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Remembers the containers the daemon knows now, so later checks can find their leftovers.</summary>
    public async Task NoteContainersAsync(CancellationToken ct)
    {
        using var list = await api.ListAsync(all: true, ct);
        foreach (var c in list.RootElement.EnumerateArray()) KnownIds.Add(c.GetProperty("Id").GetString()!);
        NoteFromDisk();
    }

    /// <summary>Runs every check; returns the violations (empty when all hold) and the running containers with their pids.</summary>
    public async Task<(List<string> Violations, Dictionary<string, int> Running)> CheckAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        NoteFromDisk();
        var db = CheckDatabase(problems);
        CheckContent(problems);
        CheckSnapshots(db, problems);
        await CheckLeftoversAsync(db, problems);
        var running = await CheckContainersAsync(db, problems, ct);
        await CheckHostObjectsAsync(running, problems);
        return (problems, running.ToDictionary(r => r.Key, r => r.Value.Pid));
    }

    private void NoteFromDisk()
    {
        var containers = Path.Join(daemon.DataRoot, "containers");
        if (Directory.Exists(containers))
            foreach (var d in Directory.EnumerateDirectories(containers)) KnownIds.Add(Path.GetFileName(d));
        foreach (var id in HostObjects.RuntimeStates(daemon.ExecRoot)) KnownIds.Add(id);
        foreach (var id in HostObjects.Monitors(daemon.ExecRoot).Values) KnownIds.Add(id);
        KnownIds.RemoveWhere(id => id.StartsWith('.'));   // the trash and temp dirs, not containers
    }

    private MetadataView CheckDatabase(List<string> problems)
    {
        var view = MetadataView.Read(daemon.DataRoot);
        if (view.IntegrityProblem is { } bad) problems.Add($"PRAGMA integrity_check: {bad}");
        foreach (var (reference, image) in view.Tags)
            if (!view.Images.ContainsKey(image)) problems.Add($"tag {reference} points at missing image {image}");
        foreach (var (id, (image, _)) in view.Containers)
            if (!view.Images.ContainsKey(image)) problems.Add($"container {id} uses missing image {image}");
        foreach (var (id, (_, blobs)) in view.Images)
        {
            foreach (var blob in blobs.Append(id))
                if (!File.Exists(BlobPath(blob))) problems.Add($"image {id}: blob {blob} is missing from the content store");
        }
        return view;
    }

    /// <summary>
    /// Nothing on disk without an owner (<see cref="LeftoverCensus"/>). The trash is emptied in the background after a
    /// start, so entries there get a few seconds to go.
    /// </summary>
    private async Task CheckLeftoversAsync(MetadataView db, List<string> problems)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var found = LeftoverCensus.Find(daemon.DataRoot, db);
        while (found.Count > 0 && found.All(f => f.StartsWith("trash/", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            found = LeftoverCensus.Find(daemon.DataRoot, db);
        }
        problems.AddRange(found);
    }

    private void CheckContent(List<string> problems)
    {
        var blobs = Path.Join(daemon.DataRoot, "content", "blobs", "sha256");
        if (!Directory.Exists(blobs)) return;
        foreach (var file in Directory.EnumerateFiles(blobs))
        {
            using var s = File.OpenRead(file);
            var actual = Convert.ToHexStringLower(SHA256.HashData(s));
            if (actual != Path.GetFileName(file)) problems.Add($"blob {Path.GetFileName(file)} holds content with digest {actual} (a partial blob is visible)");
        }
    }

    private void CheckSnapshots(MetadataView db, List<string> problems)
    {
        var snapshots = Path.Join(daemon.DataRoot, "snapshots");
        foreach (var chain in db.ImageChains().Distinct(StringComparer.Ordinal))
            if (!File.Exists(Path.Join(snapshots, chain[7..], "meta"))) problems.Add($"layer {chain} of an image is missing (no snapshot)");
    }

    private async Task<Dictionary<string, (int Pid, string Ip)>> CheckContainersAsync(MetadataView db, List<string> problems, CancellationToken ct)
    {
        var running = new Dictionary<string, (int, string)>(StringComparer.Ordinal);
        using var list = await api.ListAsync(all: true, ct);
        var listed = list.RootElement.EnumerateArray().Select(c => c.GetProperty("Id").GetString()!).ToHashSet(StringComparer.Ordinal);
        foreach (var id in listed.Except(db.Containers.Keys)) problems.Add($"container {id} is listed but not in the database");
        foreach (var id in db.Containers.Keys.Except(listed)) problems.Add($"container {id} is in the database but not listed");
        var dirs = Path.Join(daemon.DataRoot, "containers");
        foreach (var dir in Directory.Exists(dirs) ? Directory.EnumerateDirectories(dirs) : [])
            if (!db.Containers.ContainsKey(Path.GetFileName(dir))) problems.Add($"{dir} belongs to no container");
        var states = HostObjects.RuntimeStates(daemon.ExecRoot).ToHashSet(StringComparer.Ordinal);
        var monitors = HostObjects.Monitors(daemon.ExecRoot).Values.ToHashSet(StringComparer.Ordinal);
        foreach (var id in listed)
        {
            using var doc = await api.InspectAsync(id, ct);
            var state = doc.RootElement.GetProperty("State");
            var isRunning = state.GetProperty("Running").GetBoolean();
            var status = state.GetProperty("Status").GetString();
            var pid = state.GetProperty("Pid").GetInt32();
            if (isRunning)
            {
                if (!HostObjects.IsAlive(pid)) problems.Add($"container {id} is reported running with pid {pid}, which is not alive");
                if (!states.Contains(id)) problems.Add($"container {id} is reported running but the OCI runtime has no state for it");
                if (!monitors.Contains(id)) problems.Add($"container {id} is reported running but has no monitor");
                var ip = doc.RootElement.GetProperty("NetworkSettings").TryGetProperty("IPAddress", out var a) ? a.GetString() ?? "" : "";
                running[id] = (pid, ip);
            }
            else if (status is "running" or "paused" or "restarting")
            {
                problems.Add($"container {id} has status {status} but Running=false");
            }
        }
        return running;
    }

    private async Task CheckHostObjectsAsync(Dictionary<string, (int Pid, string Ip)> running, List<string> problems)
    {
        var containersDir = Path.Join(daemon.DataRoot, "containers") + "/";
        foreach (var mount in HostObjects.MountsUnder(daemon.DataRoot))
        {
            var owner = mount.StartsWith(containersDir, StringComparison.Ordinal) ? mount[containersDir.Length..].Split('/')[0] : null;
            if (owner is null || !running.ContainsKey(owner)) problems.Add($"mount {mount} has no running container to own it");
        }
        foreach (var id in KnownIds.Where(id => !running.ContainsKey(id)))
        {
            foreach (var dir in HostObjects.CgroupDirs(id)) problems.Add($"cgroup {dir} of container {id}, which is not running");
        }
        foreach (var id in HostObjects.RuntimeStates(daemon.ExecRoot).Where(id => !running.ContainsKey(id)))
            problems.Add($"the OCI runtime still has state for container {id}, which is not running");
        foreach (var (pid, id) in HostObjects.Monitors(daemon.ExecRoot).Where(m => !running.ContainsKey(m.Value) && HostObjects.IsAlive(m.Key)))
            problems.Add($"monitor {pid} still monitors container {id}, which is not running");
        var veths = HostObjects.VethCount(daemon.BridgeName);
        var onBridge = running.Count(r => r.Value.Ip.Length > 0);
        if (veths != onBridge)
            problems.Add($"{veths} veths on {daemon.BridgeName} for {onBridge} running containers on it: {string.Join(", ", HostObjects.BridgePorts(daemon.BridgeName))}");
        var ips = running.Values.Select(r => r.Ip).ToHashSet(StringComparer.Ordinal);
        foreach (var dest in await HostObjects.NatDestinationsAsync(daemon.BridgeName))
            if (!ips.Contains(dest)) problems.Add($"a NAT rule forwards to {dest}, which no running container has");
    }

    private string BlobPath(string digest) => Path.Join(daemon.DataRoot, "content", "blobs", digest.Replace(':', '/'));
}
