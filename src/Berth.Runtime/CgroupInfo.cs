using Berth.Runtime.Interop;

namespace Berth.Runtime;

/// <summary>
/// The host's cgroup layout. Version 2 only when /sys/fs/cgroup itself is cgroup2; a hybrid host (v1 controllers plus an
/// empty v2 tree at /sys/fs/cgroup/unified) counts as version 1, which is how the runtimes treat it.
/// </summary>
public static class CgroupInfo
{
    public const string Root = "/sys/fs/cgroup";
    private const long Cgroup2Magic = 0x63677270;
    private static volatile Layout? s_layout;

    /// <summary>1 or 2.</summary>
    public static int Version => Current.Version;

    /// <summary>Where the v2 hierarchy is mounted, if any (/sys/fs/cgroup on v2, /sys/fs/cgroup/unified on hybrid hosts).</summary>
    public static string? UnifiedMount => Current.Unified;

    /// <summary>The v1 mount point holding a controller ("memory", "pids"…), or the v2 root on v2; null if unavailable.</summary>
    public static string? ControllerMount(string controller)
        => Current.Version == 2 ? Root : Current.V1.GetValueOrDefault(controller);

    /// <summary>The directory of a cgroup (cgroupsPath as in the OCI spec, e.g. /berth/&lt;id&gt;) for a controller.</summary>
    public static string? PathFor(string controller, string cgroupsPath)
        => ControllerMount(controller) is { } m ? m + "/" + cgroupsPath.TrimStart('/') : null;

    /// <summary>The cgroupsPath Berth gives a container (cgroupfs driver).</summary>
    public static string ContainerCgroupsPath(string id) => "/berth/" + id;

    /// <summary>Whether memory+swap limits can be set: v1 needs swap accounting (memory.memsw.*); v2 always has memory.swap.max.</summary>
    public static bool SwapLimitSupported => Current.Version == 2
        || (ControllerMount("memory") is { } m && File.Exists(m + "/memory.memsw.limit_in_bytes"));

    /// <summary>Re-reads the mount table (after Berth mounted a missing v1 hierarchy).</summary>
    internal static void Refresh() => s_layout = Detect();

    private static Layout Current => s_layout ??= Detect();

    private sealed record Layout(int Version, string? Unified, Dictionary<string, string> V1);

    private static Layout Detect()
    {
        var v1 = new Dictionary<string, string>(StringComparer.Ordinal);
        string? unified = null;
        var version = Libc.FileSystemType(Root) == Cgroup2Magic ? 2 : 1;
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
            var sep = line.IndexOf(" - ", StringComparison.Ordinal);
            if (sep < 0) continue;
            var left = line[..sep].Split(' ');
            var right = line[(sep + 3)..].Split(' ');
            if (left.Length < 5 || right.Length < 3) continue;
            var mountPoint = left[4].Replace("\\040", " ", StringComparison.Ordinal);
            if (right[0] == "cgroup2") unified ??= mountPoint;
            else if (right[0] == "cgroup")
            {
                foreach (var opt in right[2].Split(','))
                {
                    if (opt is "rw" or "ro" || opt.Contains('=')) continue;
                    v1.TryAdd(opt, mountPoint);
                }
            }
        }
        return new Layout(version, version == 2 ? Root : unified, v1);
    }
}
