namespace Berth.Builder.Execution;

/// <summary>
/// Joins a path onto an image root following symlinks as if the root were "/" (moby's FollowSymlinkInScope), so a link in
/// the image such as <c>/app -&gt; /etc</c> lands inside the root and never on the host. The last component is followed
/// too unless <paramref name="followLast"/> is false.
/// </summary>
internal static class RootfsPath
{
    public static string Resolve(string root, string path, bool followLast = true)
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
            if (pending.Count == 0 && !followLast)
            {
                parts.Add(part);
                break;
            }
            var host = Path.Join(root, string.Join('/', parts), part);
            var target = new FileInfo(host).LinkTarget;
            if (target is null)
            {
                parts.Add(part);
                continue;
            }
            if (++hops > 255) throw new IOException($"too many levels of symbolic links in {path}");
            if (target.StartsWith('/')) parts.Clear();
            foreach (var t in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse()) pending.Push(t);
        }
        return parts.Count == 0 ? root : Path.Join(root, string.Join('/', parts));
    }
}
