using Berth.Core.Errors;

namespace Berth.Storage;

/// <summary>
/// Docker's check before a bind with shared or slave propagation (moby daemon/oci_linux.go, ensureShared and
/// ensureSharedOrSlave): events can only flow through the bind if the host mount holding its source is itself shared (or, for
/// slave, shared or a slave). Read from /proc/self/mountinfo, only for binds that ask for it.
/// </summary>
public static class MountPropagation
{
    /// <summary>Throws Docker's error (a plain error there, so a 500) when <paramref name="source"/>'s mount cannot carry <paramref name="propagation"/>.</summary>
    public static void EnsureSupported(string source, string propagation, string mountInfoPath = "/proc/self/mountinfo")
    {
        var wantShared = propagation is "shared" or "rshared";
        if (!wantShared && propagation is not ("slave" or "rslave")) return;
        var path = ResolveExisting(source);
        var (mountPoint, optional) = MountOf(path, File.ReadAllLines(mountInfoPath));
        var shared = optional.Any(o => o.StartsWith("shared:", StringComparison.Ordinal));
        var slave = optional.Any(o => o.StartsWith("master:", StringComparison.Ordinal));
        if (wantShared && !shared)
            throw new EngineException(ErrorKind.Unknown, $"path {source} is mounted on {mountPoint} but it is not a shared mount");
        if (!wantShared && !shared && !slave)
            throw new EngineException(ErrorKind.Unknown, $"path {source} is mounted on {mountPoint} but it is not a shared or slave mount");
    }

    /// <summary>The mount (deepest mount point that is a prefix of <paramref name="path"/>, the last one mounted there) and its optional fields.</summary>
    internal static (string MountPoint, string[] Optional) MountOf(string path, IEnumerable<string> mountInfo)
    {
        var best = ("/", Array.Empty<string>());
        var bestLength = -1;
        foreach (var line in mountInfo)
        {
            // id parent major:minor root mountpoint options [optional fields...] - fstype source superoptions
            var fields = line.Split(' ');
            if (fields.Length < 7) continue;
            var point = Unescape(fields[4]);
            if (!(path == point || point == "/" || path.StartsWith(point + "/", StringComparison.Ordinal))) continue;
            if (point.Length < bestLength) continue;
            var dash = Array.IndexOf(fields, "-", 6);
            best = (point, fields[6..(dash < 0 ? fields.Length : dash)]);
            bestLength = point.Length;
        }
        return best;
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as \ooo.</summary>
    private static string Unescape(string s) =>
        s.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
         .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);

    private static string ResolveExisting(string source)
    {
        try
        {
            var info = new FileInfo(source);
            return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(source);
        }
        catch (IOException) { return Path.GetFullPath(source); }
    }
}
