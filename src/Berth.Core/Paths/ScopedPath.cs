namespace Berth.Core.Paths;

/// <summary>
/// Follows a path's symlinks as if a container's root were "/" (moby's FollowSymlinkInScope): an absolute link target
/// starts again at the root and <c>..</c> never climbs above it, so an image's <c>/app -&gt; /etc</c> stays inside the root.
/// Where the tree lives is the caller's: <paramref name="linkTarget"/> answers the link target of a root-relative path, or
/// null when it is no symlink (or does not exist).
/// </summary>
public static class ScopedPath
{
    /// <summary>The resolved path, relative to the root without a leading slash ("" for the root itself).</summary>
    public static string Follow(Func<string, string?> linkTarget, string path, bool followLast = true, int maxLinks = 255)
    {
        var parts = new List<string>();
        var pending = new Stack<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var hops = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0) parts.RemoveAt(parts.Count - 1);
                continue;
            }
            var target = pending.Count == 0 && !followLast ? null : linkTarget(string.Join('/', [.. parts, part]));
            if (target is null)
            {
                parts.Add(part);
                continue;
            }
            if (++hops > maxLinks) throw new IOException($"too many levels of symbolic links in {path}");
            if (target.StartsWith('/')) parts.Clear();
            foreach (var t in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse()) pending.Push(t);
        }
        return string.Join('/', parts);
    }
}
