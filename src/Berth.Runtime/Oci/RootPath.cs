namespace Berth.Runtime.Oci;

/// <summary>Joins a path onto a container root following symlinks as if the root were "/", so an image cannot point us at host files.</summary>
internal static class RootPath
{
    internal static string Resolve(string root, string path)
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
            var host = Path.Combine(root, string.Join('/', parts), part);
            var target = new FileInfo(host).LinkTarget;
            if (target is null)
            {
                parts.Add(part);
                continue;
            }
            if (++hops > 40) throw new IOException($"too many levels of symbolic links in {path}");
            if (target.StartsWith('/')) parts.Clear();
            foreach (var t in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse()) pending.Push(t);
        }
        return Path.Combine(root, string.Join('/', parts));
    }
}
