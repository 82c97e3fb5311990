using Berth.Core.Errors;

namespace Berth.Runtime.Oci;

/// <summary>Linux capability names and Docker's rules for combining the default set with --cap-add/--cap-drop.</summary>
internal static class Capabilities
{
    /// <summary>Indexed by capability number (linux/capability.h).</summary>
    internal static readonly string[] Known =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",
        "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
        "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
        "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
        "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
        "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary>Docker's default set (moby oci/caps/defaults.go), in Docker's order.</summary>
    internal static readonly string[] Default =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    private static readonly Lazy<string[]> s_all = new(() =>
    {
        // The kernel may know fewer capabilities than we do; asking the runtime for unknown ones fails.
        var last = Known.Length - 1;
        if (int.TryParse(TryRead("/proc/sys/kernel/cap_last_cap"), out var l) && l < last) last = l;
        // Nor can a container get what the daemon's own bounding set lacks (a daemon inside a restricted sandbox):
        // capset would fail with EPERM, so privileged means "everything we hold".
        var bounding = BoundingSet();
        return [.. Known[..(last + 1)].Where((_, i) => bounding is null || (bounding.Value & (1UL << i)) != 0)];
    });

    internal static IReadOnlyList<string> All => s_all.Value;

    /// <summary>Docker's TweakCapabilities: privileged gets all; "ALL" in add starts from all minus drops; "ALL" in drop keeps only adds.</summary>
    internal static IReadOnlyList<string> Compute(IReadOnlyList<string>? add, IReadOnlyList<string>? drop, bool privileged)
    {
        if (privileged) return All;
        if ((add is null || add.Count == 0) && (drop is null || drop.Count == 0)) return Default;
        var adds = Normalize(add);
        var drops = Normalize(drop);
        var result = new List<string>();
        if (adds.Contains("ALL"))
        {
            foreach (var c in All) if (!drops.Contains(c)) result.Add(c);
        }
        else if (drops.Contains("ALL"))
        {
            result.AddRange(adds);
        }
        else
        {
            foreach (var c in Default) if (!drops.Contains(c)) result.Add(c);
            foreach (var c in adds) if (!result.Contains(c)) result.Add(c);
        }
        return result;
    }

    /// <summary>Upper-cases, adds the CAP_ prefix, keeps "ALL", rejects unknown names with Docker's message.</summary>
    internal static List<string> Normalize(IReadOnlyList<string>? names)
    {
        var result = new List<string>();
        if (names is null) return result;
        foreach (var raw in names)
        {
            var n = raw.Trim().ToUpperInvariant();
            if (n.Length == 0) continue;
            if (n != "ALL" && !n.StartsWith("CAP_", StringComparison.Ordinal)) n = "CAP_" + n;
            if (n != "ALL" && Array.IndexOf(Known, n) < 0) throw new InvalidArgumentException($"unknown capability: \"{n}\"");
            if (!result.Contains(n)) result.Add(n);
        }
        return result;
    }

    private static ulong? BoundingSet()
    {
        foreach (var line in (TryRead("/proc/self/status") ?? "").Split('\n'))
            if (line.StartsWith("CapBnd:", StringComparison.Ordinal)
                && ulong.TryParse(line.AsSpan(7).Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var mask))
                return mask;
        return null;
    }

    private static string? TryRead(string path)
    {
        try { return File.ReadAllText(path).Trim(); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
