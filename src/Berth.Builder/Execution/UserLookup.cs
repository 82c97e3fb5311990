using System.Globalization;

namespace Berth.Builder.Execution;

/// <summary>
/// <c>--chown=user[:group]</c> against the image's /etc/passwd and /etc/group (moby parseChownFlag): numbers are taken as is,
/// names are looked up, and a lone user also names the group.
/// </summary>
internal static class UserLookup
{
    public static CopyIdentity ParseChown(string chown, string root)
    {
        var parts = chown.Split(':');
        if (parts.Length > 2) throw new BuildFailedException("invalid chown string format: " + chown);
        var user = parts[0];
        var group = parts.Length == 1 ? parts[0] : parts[1];
        var uid = Lookup(user, RootfsPath.Resolve(root, "/etc/passwd"), "user");
        var gid = Lookup(group, RootfsPath.Resolve(root, "/etc/group"), "group");
        return new CopyIdentity(uid, gid, false);
    }

    private static int Lookup(string name, string file, string kind)
    {
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return id;
        if (File.Exists(file))
        {
            foreach (var line in File.ReadLines(file))
            {
                var f = line.Split(':');
                if (f.Length > 2 && f[0] == name && int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var found)) return found;
            }
        }
        throw new BuildFailedException($"unable to convert uid/gid chown string to host mapping: can't find {(kind == "user" ? "uid" : "gid")} for {kind} {name}: no such {kind}: {name}");
    }
}
