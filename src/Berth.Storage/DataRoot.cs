namespace Berth.Storage;

/// <summary>The daemon's data root layout (DESIGN.md "Data root"). Creating one creates the directories.</summary>
public sealed class DataRoot
{
    public DataRoot(string root)
    {
        Root = Path.GetFullPath(root);
        ContainersDir = Path.Join(Root, "containers");
        SnapshotsDir = Path.Join(Root, "snapshots");
        ContentDir = Path.Join(Root, "content");
        VolumesDir = Path.Join(Root, "volumes");
        foreach (var d in new[] { Root, ContainersDir, SnapshotsDir, ContentDir, VolumesDir })
            Directory.CreateDirectory(d, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Root { get; }
    public string ContainersDir { get; }
    public string SnapshotsDir { get; }
    public string ContentDir { get; }
    public string VolumesDir { get; }
    public string MetadataPath => Path.Join(Root, "metadata.db");

    /// <summary>containers/&lt;id&gt;; the id is validated so it cannot name a path outside.</summary>
    public string ContainerDir(string id)
    {
        if (!IsSafeName(id)) throw new Core.Errors.InvalidArgumentException($"invalid container id: {id}");
        return Path.Join(ContainersDir, id);
    }

    internal static bool IsSafeName(string s) =>
        s.Length is > 0 and <= 128 && s != "." && s != ".." && !s.AsSpan().ContainsAny("/\0");
}
