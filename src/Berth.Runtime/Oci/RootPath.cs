using Berth.Core.Paths;

namespace Berth.Runtime.Oci;

/// <summary>Joins a path onto a container root following symlinks as if the root were "/", so an image cannot point us at host files.</summary>
internal static class RootPath
{
    internal static string Resolve(string root, string path) =>
        Path.Combine(root, ScopedPath.Follow(rel => new FileInfo(Path.Combine(root, rel)).LinkTarget, path, maxLinks: 40));
}
