using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Berth.Integration.Tests.Support;

/// <summary>
/// Tears down whatever a test daemon left under its private temp root: processes still living there (monitors
/// whose command line names the root, containers whose root or cwd is inside it), then mounts, deepest first.
/// The directory is deleted only once nothing is mounted below it, so a leftover bind mount can never lead the
/// delete into host files.
/// </summary>
internal static class TempRootCleaner
{
    public static IReadOnlyList<string> KillProcessesUnder(string root)
    {
        var killed = new List<string>();
        var self = Environment.ProcessId;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self)
            {
                continue;
            }

            if (IsUnder(pid, root, out var why) && Libc.Kill(pid, Libc.SIGKILL) == 0)
            {
                killed.Add($"{pid} ({why})");
            }
        }

        return killed;
    }

    /// <summary>Mount points at or under root, deepest first, from /proc/self/mountinfo.</summary>
    public static List<string> MountsUnder(string root)
    {
        var prefix = root.TrimEnd('/') + "/";
        var mounts = new List<string>();
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // Fields: id parent major:minor root mountpoint options ... ; the mount point is the fifth.
            var fields = line.Split(' ');
            if (fields.Length < 5)
            {
                continue;
            }

            var point = Unescape(fields[4]);
            if (point == root.TrimEnd('/') || point.StartsWith(prefix, StringComparison.Ordinal))
            {
                mounts.Add(point);
            }
        }

        return mounts.Distinct().OrderByDescending(m => m.Count(c => c == '/')).ThenByDescending(m => m.Length).ToList();
    }

    /// <summary>Lazily unmounts everything under root; returns the mount points that are still there.</summary>
    public static List<string> UnmountAllUnder(string root)
    {
        for (var pass = 0; pass < 5; pass++)
        {
            var mounts = MountsUnder(root);
            if (mounts.Count == 0)
            {
                return mounts;
            }

            foreach (var m in mounts)
            {
                // EINVAL/ENOENT here mean a parent's detach already took it: fine, the next pass re-reads.
                _ = Libc.Umount2(m, Libc.MNT_DETACH);
            }
        }

        return MountsUnder(root);
    }

    private static bool IsUnder(int pid, string root, out string why)
    {
        var prefix = root.TrimEnd('/') + "/";
        why = "";
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            if (cmdline.Contains(prefix, StringComparison.Ordinal))
            {
                why = "command line";
                return true;
            }

            foreach (var link in new[] { "root", "cwd" })
            {
                var target = new FileInfo($"/proc/{pid}/{link}").LinkTarget;
                if (target is not null && target.StartsWith(prefix, StringComparison.Ordinal))
                {
                    why = link;
                    return true;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process ended while we looked: nothing to kill.
        }

        return false;
    }

    // mountinfo escapes space, tab, newline and backslash as \ooo octal.
    private static string Unescape(string s)
    {
        if (!s.Contains('\\', StringComparison.Ordinal))
        {
            return s;
        }

        var bytes = new List<byte>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && IsOctal(s, i + 1))
            {
                bytes.Add((byte)Convert.ToInt32(s.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(s[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(bytes));
    }

    private static bool IsOctal(string s, int at)
        => at + 3 <= s.Length && s.AsSpan(at, 3).IndexOfAnyExcept("01234567") < 0;
}
