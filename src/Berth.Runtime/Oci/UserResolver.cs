using Berth.Core.Errors;

namespace Berth.Runtime.Oci;

/// <summary>Resolves Docker's --user forms against the image's /etc/passwd and /etc/group, as moby's user.GetExecUser does.</summary>
internal static class UserResolver
{
    internal sealed record ResolvedUser(uint Uid, uint Gid, IReadOnlyList<uint> AdditionalGids, string Home);

    private sealed record PasswdEntry(string Name, uint Uid, uint Gid, string Home);

    private sealed record GroupEntry(string Name, uint Gid, string[] Members);

    internal static ResolvedUser Resolve(string rootfs, string user, IReadOnlyList<string>? additionalGroups)
        => Resolve(user, additionalGroups, ReadLines(RootPath.Resolve(rootfs, "etc/passwd")), ReadLines(RootPath.Resolve(rootfs, "etc/group")));

    internal static ResolvedUser Resolve(string user, IReadOnlyList<string>? additionalGroups, IEnumerable<string> passwdLines, IEnumerable<string> groupLines)
    {
        var users = ParsePasswd(passwdLines);
        var groups = ParseGroup(groupLines);
        var (userPart, groupPart) = user.IndexOf(':') is var i and >= 0 ? (user[..i], user[(i + 1)..]) : (user, (string?)null);
        if (userPart.Length == 0) userPart = "0";

        PasswdEntry? entry;
        uint uid;
        if (uint.TryParse(userPart, out uid))
        {
            entry = users.FirstOrDefault(u => u.Uid == uid);
        }
        else
        {
            entry = users.FirstOrDefault(u => u.Name == userPart)
                ?? throw new InvalidArgumentException($"unable to find user {userPart}: no matching entries in passwd file");
            uid = entry.Uid;
        }

        var gid = entry?.Gid ?? 0;
        if (groupPart is { Length: > 0 }) gid = ResolveGroup(groupPart, groups);

        var extra = new List<uint>();
        if (groupPart is null && entry is not null)
        {
            // Docker adds the groups that list the user as a member when no group was given explicitly.
            foreach (var g in groups)
                if (g.Members.Contains(entry.Name) && g.Gid != gid && !extra.Contains(g.Gid)) extra.Add(g.Gid);
        }
        if (additionalGroups is not null)
        {
            foreach (var ag in additionalGroups)
            {
                var g = ResolveGroup(ag, groups);
                if (!extra.Contains(g)) extra.Add(g);
            }
        }
        return new ResolvedUser(uid, gid, extra, entry?.Home is { Length: > 0 } h ? h : "/");
    }

    private static uint ResolveGroup(string name, List<GroupEntry> groups)
    {
        if (uint.TryParse(name, out var gid)) return gid;
        return groups.FirstOrDefault(g => g.Name == name)?.Gid
            ?? throw new InvalidArgumentException($"unable to find group {name}: no matching entries in group file");
    }

    private static List<PasswdEntry> ParsePasswd(IEnumerable<string> lines)
    {
        var list = new List<PasswdEntry>();
        foreach (var line in lines)
        {
            var f = line.Split(':');
            if (f.Length < 4 || line.StartsWith('#')) continue;
            if (!uint.TryParse(f[2], out var uid) || !uint.TryParse(f[3], out var gid)) continue;
            list.Add(new PasswdEntry(f[0], uid, gid, f.Length > 5 ? f[5] : ""));
        }
        return list;
    }

    private static List<GroupEntry> ParseGroup(IEnumerable<string> lines)
    {
        var list = new List<GroupEntry>();
        foreach (var line in lines)
        {
            var f = line.Split(':');
            if (f.Length < 3 || line.StartsWith('#') || !uint.TryParse(f[2], out var gid)) continue;
            var members = f.Length > 3 ? f[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
            list.Add(new GroupEntry(f[0], gid, members));
        }
        return list;
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        // A missing file is normal (scratch images); Docker then accepts numeric ids only.
        try { return File.ReadAllLines(path); }
        catch (FileNotFoundException) { return []; }
        catch (DirectoryNotFoundException) { return []; }
    }
}
