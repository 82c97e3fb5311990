using System.Globalization;
using Berth.Core.Errors;
using Berth.Services.Events;
using Berth.Storage.Archive;

namespace Berth.Services.Containers;

/// <summary>
/// <c>HEAD/GET/PUT /containers/{id}/archive</c> (<c>docker cp</c>) on running and stopped containers. Paths are resolved inside the
/// container's root by <see cref="RootedTree"/>, so no symlink the container plants can lead the daemon to a host file. The container
/// stays locked while its files are read or written, so it cannot start with its rootfs mounted privately here.
/// </summary>
public sealed class ContainerArchive(ContainerService containers, EventHub events)
{
    public async Task<ContainerPathStat> StatAsync(string idOrName, string path, CancellationToken ct)
    {
        var c = containers.Get(idOrName);
        await c.Lock.WaitAsync(ct);
        try
        {
            using var view = await containers.OpenFsViewAsync(c);
            return WithName(c, path, () => view.Tree.Stat(AbsPath(path)));
        }
        finally { c.Lock.Release(); }
    }

    /// <summary>
    /// Stats the path, then (after <paramref name="beforeBody"/> has sent the stat header) writes a tar of it, as Docker's
    /// GET archive: the top entry named after the path's base name, a symlink archived as itself.
    /// </summary>
    public async Task WriteArchiveAsync(string idOrName, string path, Func<ContainerPathStat, Task> beforeBody, Stream output, CancellationToken ct)
    {
        var c = containers.Get(idOrName);
        await c.Lock.WaitAsync(ct);
        try
        {
            using var view = await containers.OpenFsViewAsync(c);
            var abs = AbsPath(path);
            var stat = WithName(c, path, () => view.Tree.Stat(abs));
            await beforeBody(stat);
            await view.Tree.WriteArchiveAsync(abs, output, ct);
        }
        finally { c.Lock.Release(); }
        events.Publish("container", "archive-path", c.Id, containers.Attributes(c));
    }

    /// <summary>Extracts a tar into the directory at <paramref name="path"/> (symlinks followed inside the container), as Docker's PUT archive.</summary>
    public async Task ExtractAsync(string idOrName, string path, Stream tar, bool noOverwriteDirNonDir, bool copyUidGid, CancellationToken ct)
    {
        var c = containers.Get(idOrName);
        await c.Lock.WaitAsync(ct);
        try
        {
            using var view = await containers.OpenFsViewAsync(c);
            var abs = AbsPath(path);
            var resolved = view.Tree.ResolveInScope(abs);
            CheckWritable(c.Doc, resolved);
            var owner = copyUidGid && !string.IsNullOrEmpty(c.Doc.Config.User) ? LookupUser(view.Tree, c.Doc.Config.User) : CopyOwnership.FromHeader;
            try
            {
                await view.Tree.ExtractAsync(abs, tar, noOverwriteDirNonDir, owner, ct);
            }
            catch (NotFoundException ex)
            {
                throw new NotFoundException($"Could not find the file {path} in container {c.Doc.Name.TrimStart('/')}", ex);
            }
            catch (IOException ex) when (ex.HResult == 30 /* EROFS */)
            {
                throw new EngineException(ErrorKind.PermissionDenied, "container rootfs is marked read-only", ex);
            }
        }
        finally { c.Lock.Release(); }
        events.Publish("container", "extract-to-dir", c.Id, containers.Attributes(c));
    }

    private static string AbsPath(string path)
    {
        if (string.IsNullOrEmpty(path)) throw new InvalidArgumentException("path is empty");
        // No file system takes a name over NAME_MAX or a path over PATH_MAX: say so as the client's mistake (a 400)
        // instead of letting the kernel's ENAMETOOLONG surface as a server error.
        if (System.Text.Encoding.UTF8.GetByteCount(path) >= 4096 || path.Split('/').Any(p => System.Text.Encoding.UTF8.GetByteCount(p) > 255))
            throw new InvalidArgumentException($"invalid path: file name too long");
        return path.StartsWith('/') ? path : "/" + path;
    }

    private static ContainerPathStat WithName(Container c, string path, Func<ContainerPathStat> stat)
    {
        try { return stat(); }
        catch (NotFoundException ex)
        {
            throw new NotFoundException($"Could not find the file {path} in container {c.Doc.Name.TrimStart('/')}", ex);
        }
    }

    /// <summary>Moby's checkIfPathIsInAVolume: a read-only mount refuses, a writable one allows, else a read-only rootfs refuses.</summary>
    internal static void CheckWritable(ContainerDocument d, string resolvedPath)
    {
        var mount = (d.MountPoints ?? [])
            .Where(m => resolvedPath == m.Destination || resolvedPath.StartsWith(m.Destination + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.Destination.Length).FirstOrDefault();
        if (mount is not null)
        {
            if (!mount.RW) throw new EngineException(ErrorKind.PermissionDenied, "mounted volume is marked read-only");
            return;
        }
        if (d.HostConfig.ReadonlyRootfs) throw new EngineException(ErrorKind.PermissionDenied, "container rootfs is marked read-only");
    }

    /// <summary>The container's <c>User</c> ("name", "uid", "name:group", "uid:gid") looked up in its own /etc/passwd and /etc/group.</summary>
    private static CopyOwnership LookupUser(RootedTree tree, string user)
    {
        var colon = user.IndexOf(':');
        var (u, g) = colon < 0 ? (user, (string?)null) : (user[..colon], user[(colon + 1)..]);
        var passwd = (tree.TryReadText("/etc/passwd") ?? "").Split('\n').Select(l => l.Split(':')).Where(f => f.Length >= 4).ToList();
        long uid, gid = 0;
        if (long.TryParse(u, NumberStyles.None, CultureInfo.InvariantCulture, out uid))
        {
            var entry = passwd.FirstOrDefault(f => f[2] == u);
            if (entry is not null) gid = long.Parse(entry[3], CultureInfo.InvariantCulture);
        }
        else
        {
            var entry = passwd.FirstOrDefault(f => f[0] == u) ?? throw new InvalidArgumentException($"unable to find user {u}: no matching entries in passwd file");
            uid = long.Parse(entry[2], CultureInfo.InvariantCulture);
            gid = long.Parse(entry[3], CultureInfo.InvariantCulture);
        }
        if (!string.IsNullOrEmpty(g))
        {
            if (!long.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out gid))
            {
                var group = (tree.TryReadText("/etc/group") ?? "").Split('\n').Select(l => l.Split(':')).FirstOrDefault(f => f.Length >= 3 && f[0] == g)
                    ?? throw new InvalidArgumentException($"unable to find group {g}: no matching entries in group file");
                gid = long.Parse(group[2], CultureInfo.InvariantCulture);
            }
        }
        return new CopyOwnership(uid, gid);
    }
}
