using System.Globalization;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Stress;

/// <summary>
/// What a container leaves on the host besides its files: mounts, cgroups, monitor processes, bridge ports (veths) and
/// NAT rules. Containers here share the host with other daemons' containers, so everything is looked up by our ids,
/// our data root, our exec root and our bridge, never by a broad pattern.
/// </summary>
internal static class HostObjects
{
    private const string CgroupRoot = "/sys/fs/cgroup";

    /// <summary>Mount points at or below the data root (deepest first).</summary>
    public static List<string> MountsUnder(string dataRoot) => TempRootCleaner.MountsUnder(dataRoot);

    /// <summary>Every cgroup directory Berth would make for the container (/berth/&lt;id&gt; under each v1 controller, or the v2 tree).</summary>
    public static List<string> CgroupDirs(string id)
    {
        var found = new List<string>();
        var v2 = Path.Join(CgroupRoot, "berth", id);
        if (Directory.Exists(v2)) found.Add(v2);
        foreach (var controller in Directory.EnumerateDirectories(CgroupRoot))
        {
            var dir = Path.Join(controller, "berth", id);
            if (Directory.Exists(dir)) found.Add(dir);
        }
        return found;
    }

    /// <summary>The interfaces enslaved to the bridge: one host-side veth per container attached to it.</summary>
    public static List<string> BridgePorts(string bridge)
    {
        var dir = $"/sys/class/net/{bridge}/brif";
        return Directory.Exists(dir) ? Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).OfType<string>().ToList() : [];
    }

    /// <summary>Host veth interfaces of any bridge (name starts with veth) whose master is <paramref name="bridge"/>.</summary>
    public static int VethCount(string bridge) => BridgePorts(bridge).Count(p => p.StartsWith("veth", StringComparison.Ordinal));

    /// <summary>The container addresses our NAT chain forwards to (DNAT --to-destination ip:port), one per rule.</summary>
    public static async Task<List<string>> NatDestinationsAsync(string bridge)
    {
        var result = await ProcessRunner.RunAsync("iptables", ["-w", "-t", "nat", "-S", "BERTH-" + bridge], timeout: TimeSpan.FromSeconds(20));
        if (result.ExitCode != 0) return [];   // no chain: no rules
        var destinations = new List<string>();
        foreach (var line in result.Stdout.Split('\n'))
        {
            var at = line.IndexOf("--to-destination ", StringComparison.Ordinal);
            if (at < 0) continue;
            var target = line[(at + "--to-destination ".Length)..].Split(' ')[0];
            destinations.Add(target.Split(':')[0]);
        }
        return destinations;
    }

    /// <summary>berth-monitor processes whose command line names our exec root, by the container id they monitor (--id).</summary>
    public static Dictionary<int, string> Monitors(string execRoot)
    {
        var monitors = new Dictionary<int, string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            string[] args;
            try { args = File.ReadAllText(Path.Join(dir, "cmdline")).Split('\0'); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { continue; }
            if (args.Length < 2 || !args[0].EndsWith("berth-monitor", StringComparison.Ordinal) || !args.Any(a => a.Contains(execRoot, StringComparison.Ordinal))) continue;
            var c = Array.IndexOf(args, "--id");
            if (c >= 0 && c + 1 < args.Length) monitors[pid] = args[c + 1];
        }
        return monitors;
    }

    /// <summary>Container ids the OCI runtime has state for under our exec root (crun/runc --root).</summary>
    public static List<string> RuntimeStates(string execRoot)
    {
        var root = Path.Join(execRoot, "runtime", "runtime");
        return Directory.Exists(root) ? Directory.EnumerateDirectories(root).Select(Path.GetFileName).OfType<string>().ToList() : [];
    }

    public static bool IsAlive(int pid) => pid > 0 && Directory.Exists($"/proc/{pid}") && !IsZombie(pid);

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] == 'Z';
        }
        catch (IOException)
        {
            return true;
        }
    }
}
