using System.Text.RegularExpressions;
using Berth.Core.Errors;
using Berth.Storage.Content;
using Berth.Storage.Interop;
using static Berth.Storage.Interop.Libc;

namespace Berth.Storage.Volumes;

/// <summary>
/// Docker's <c>local</c> volume driver: each volume is <c>volumes/&lt;name&gt;/_data</c>. A volume created with mount options
/// (<c>type=tmpfs</c>, <c>type=none,o=bind,device=/x</c>, nfs…) is mounted on its <c>_data</c> when the first container using it
/// starts and unmounted when the last one stops, as Docker does; a plain volume is just the directory.
/// </summary>
public sealed partial class LocalVolumeDriver
{
    public const string Name = "local";
    private const string RemovingPrefix = ".removing-";
    private readonly string _root;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _mountCounts = new(StringComparer.Ordinal);

    private readonly Func<string, System.Net.IPAddress> _resolve;

    /// <param name="resolve">Turns an nfs/cifs <c>addr=</c> host name into an address (the system resolver unless a test gives one).</param>
    public LocalVolumeDriver(string volumesDir, Func<string, System.Net.IPAddress>? resolve = null)
    {
        _resolve = resolve ?? VolumeMountOptions.ResolveHost;
        _root = Path.GetFullPath(volumesDir);
        Directory.CreateDirectory(_root);
        foreach (var dir in Directory.EnumerateDirectories(_root))
        {
            // A crash between the rename and the delete of a removal leaves this; nothing refers to it any more.
            if (Path.GetFileName(dir).StartsWith(RemovingPrefix, StringComparison.Ordinal) && !HasMount(Path.Join(dir, "_data")))
                Directory.Delete(dir, recursive: true);
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex ValidName();

    public static void ValidateName(string name)
    {
        // A name longer than a file name can be is refused up front instead of failing in mkdir (a 500).
        if (!ValidName().IsMatch(name) || name.Length > 255)
            throw new InvalidArgumentException(
                $"create {name}: \"{name}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
    }

    /// <summary>volumes/&lt;name&gt;/_data: the Mountpoint that inspect reports.</summary>
    public string DataPath(string name)
    {
        ValidateName(name);
        return Path.Join(_root, name, "_data");
    }

    /// <summary>Validates the options and makes the directories (idempotent). Nothing is mounted yet.</summary>
    public void Create(string name, IReadOnlyDictionary<string, string> options)
    {
        VolumeMountOptions.Parse(options);
        var data = DataPath(name);
        var dir = Path.GetDirectoryName(data)!;
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_000_001);   // 0701, as Docker: others may traverse, not list
        if (!Directory.Exists(data))
        {
            Directory.CreateDirectory(data);
            File.SetUnixFileMode(data, (UnixFileMode)0b111_101_101);
        }
        FileSync.SyncDirectory(_root);
    }

    public bool Exists(string name) => Directory.Exists(DataPath(name));

    /// <summary>Makes the volume's data available (mounting it on first use when it has mount options) and returns its path.</summary>
    public string Mount(string name, IReadOnlyDictionary<string, string> options)
    {
        var data = DataPath(name);
        var mount = VolumeMountOptions.Parse(options);
        if (mount is null) return data;
        lock (_lock)
        {
            _mountCounts.TryGetValue(name, out var count);
            // After a daemon restart the mount of a volume in use is still there: count it, do not stack another one.
            if (count == 0 && !HasMount(data))
            {
                Directory.CreateDirectory(data);
                var call = mount.WithResolvedAddress(_resolve);
                if (Libc.Mount(call.Device, data, call.Type, call.Flags, call.Data) != 0)
                    throw new EngineException(Core.Errors.ErrorKind.Unknown,
                        $"error while mounting volume '{data}': failed to mount local volume: {call.DescribeFailure(data, LastErrno)}");
                if ((mount.Flags & MS_BIND) != 0 && (mount.Flags & MS_RDONLY) != 0 && Libc.Mount(null, data, null, MS_BIND | MS_REMOUNT | MS_RDONLY, null) != 0)
                    throw LastError($"remount {data} read-only");
            }
            _mountCounts[name] = count + 1;
        }
        return data;
    }

    /// <summary>Drops one use; the last one unmounts a volume that has mount options (a tmpfs volume loses its content).</summary>
    public void Unmount(string name, IReadOnlyDictionary<string, string> options)
    {
        if (VolumeMountOptions.Parse(options) is null) return;
        var data = DataPath(name);
        lock (_lock)
        {
            _mountCounts.TryGetValue(name, out var count);
            if (count > 1)
            {
                _mountCounts[name] = count - 1;
                return;
            }
            _mountCounts.Remove(name);
            if (HasMount(data) && Umount2(data, MNT_DETACH) != 0 && LastErrno != EINVAL) throw LastError($"unmount {data}");
        }
    }

    /// <summary>Deletes the volume and its data. A volume still mounted is unmounted first, so a bind volume never deletes its device's files.</summary>
    public long Remove(string name)
    {
        var data = DataPath(name);
        var dir = Path.GetDirectoryName(data)!;
        if (!Directory.Exists(dir)) return 0;
        lock (_lock)
        {
            _mountCounts.Remove(name);
            while (HasMount(data))
            {
                if (Umount2(data, MNT_DETACH) != 0) throw LastError($"unmount {data}");
            }
        }
        var size = DirectorySize(data);
        var doomed = Path.Join(_root, RemovingPrefix + Guid.NewGuid().ToString("N"));
        Directory.Move(dir, doomed);
        FileSync.SyncDirectory(_root);
        Directory.Delete(doomed, recursive: true);
        return size;
    }

    /// <summary>Bytes of regular files under the volume's data (what prune reports as reclaimed).</summary>
    public long Size(string name) => DirectorySize(DataPath(name));

    /// <summary>True when the volume's data directory has no entries (the condition for copying image content in).</summary>
    public bool IsEmpty(string name)
    {
        var data = DataPath(name);
        return !Directory.Exists(data) || !Directory.EnumerateFileSystemEntries(data).Any();
    }

    private static long DirectorySize(string dir)
    {
        if (!Directory.Exists(dir)) return 0;
        long total = 0;
        // Symlinks are skipped, not followed: a volume may hold a link to / .
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var f in new DirectoryInfo(dir).EnumerateFiles("*", options))
        {
            if (f.LinkTarget is null) total += f.Length;
        }
        return total;
    }

    internal static bool HasMount(string path)
    {
        if (Statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, StatxBuffer.MaskBasic, out var self) != 0) return false;
        if ((self.AttributesMask & StatxBuffer.AttrMountRoot) != 0) return (self.Attributes & StatxBuffer.AttrMountRoot) != 0;
        if (Statx(AT_FDCWD, Path.GetDirectoryName(path)!, AT_SYMLINK_NOFOLLOW, StatxBuffer.MaskBasic, out var parent) != 0) return false;
        return self.DevMajor != parent.DevMajor || self.DevMinor != parent.DevMinor;
    }
}
