using Berth.Core.Paths;

namespace Berth.Builder.Execution;

/// <summary>
/// Joins a path onto an image root following symlinks as if the root were "/" (<see cref="ScopedPath"/>), so a link in the
/// image such as <c>/app -&gt; /etc</c> lands inside the root and never on the host. The last component is followed too
/// unless <paramref name="followLast"/> is false.
/// </summary>
internal static class RootfsPath
{
    public static string Resolve(string root, string path, bool followLast = true) =>
        Path.Join(root, ScopedPath.Follow(rel => new FileInfo(Path.Join(root, rel)).LinkTarget, path, followLast));
}
