using System.Formats.Tar;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary>
/// The local half of <c>cp</c>: a tar of a local path (owners and modes kept, top entry renamed as docker's PrepareArchiveCopy does),
/// and extraction of a container's tar into a local directory that never writes outside it (no "..", no following a symlink).
/// </summary>
internal static class CpArchive
{
    /// <summary>Writes <paramref name="source"/> as a tar whose top entry is <paramref name="topName"/> ("." for a directory's content).</summary>
    public static async Task<long> WriteAsync(string source, string topName, bool followTop, Stream output, CancellationToken ct)
    {
        long total = 0;
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        async Task AddAsync(string path, string name, bool follow)
        {
            var info = new FileInfo(path);
            if (follow && info.LinkTarget is not null && info.ResolveLinkTarget(true) is { } resolved) info = new FileInfo(resolved.FullName);
            var (uid, gid, mode) = CpNative.Owner(info.FullName);
            var type = (mode & 0xF000) switch { 0x4000 => TarEntryType.Directory, 0xA000 => TarEntryType.SymbolicLink, 0x8000 => TarEntryType.RegularFile, _ => (TarEntryType?)null };
            if (type is null) return;   // devices, fifos and sockets are not copied out of the host
            var entry = new PaxTarEntry(type.Value, type == TarEntryType.Directory ? name + "/" : name)
            {
                Uid = uid,
                Gid = gid,
                Mode = (UnixFileMode)(mode & 0xFFF),
                ModificationTime = info.LastWriteTimeUtc,
            };
            if (type == TarEntryType.SymbolicLink) entry.LinkName = info.LinkTarget!;
            if (type == TarEntryType.RegularFile)
            {
                await using var data = File.OpenRead(info.FullName);
                entry.DataStream = data;
                total += data.Length;
                await writer.WriteEntryAsync(entry, ct);
                return;
            }
            await writer.WriteEntryAsync(entry, ct);
            if (type == TarEntryType.Directory)
            {
                foreach (var child in Directory.EnumerateFileSystemEntries(info.FullName).Order(StringComparer.Ordinal))
                    await AddAsync(child, name + "/" + Path.GetFileName(child), false);
            }
        }
        await AddAsync(source, topName, followTop);
        return total;
    }

    /// <summary>
    /// Extracts into <paramref name="dir"/>, renaming a top entry <paramref name="from"/> to <paramref name="to"/> when given. Owners
    /// are applied only with <paramref name="keepOwners"/> (<c>-a</c>).
    /// </summary>
    public static async Task<long> ExtractAsync(Stream tar, string dir, string? from, string? to, bool keepOwners, CancellationToken ct)
    {
        long total = 0;
        var root = Path.GetFullPath(dir);
        var dirTimes = new List<(string, DateTimeOffset)>();
        await using var reader = new TarReader(tar, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, ct) is { } e)
        {
            var name = Rebase(e.Name.TrimEnd('/'), from, to);
            var parts = Clean(name);
            if (parts.Count == 0) continue;
            var path = Path.Join(root, string.Join('/', parts));
            EnsureParents(root, parts);
            switch (e.EntryType)
            {
                case TarEntryType.Directory:
                    if (File.Exists(path) || IsLink(path)) File.Delete(path);
                    Directory.CreateDirectory(path);
                    File.SetUnixFileMode(path, e.Mode);
                    dirTimes.Add((path, e.ModificationTime));
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    RemoveExisting(path);
                    await using (var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                    {
                        if (e.DataStream is { } data) await data.CopyToAsync(f, ct);
                        total += f.Length;
                    }
                    File.SetUnixFileMode(path, e.Mode);
                    File.SetLastWriteTimeUtc(path, e.ModificationTime.UtcDateTime);
                    break;
                case TarEntryType.SymbolicLink:
                    RemoveExisting(path);
                    File.CreateSymbolicLink(path, e.LinkName);
                    break;
                case TarEntryType.HardLink:
                    var target = Clean(Rebase(e.LinkName, from, to));
                    if (target.Count == 0) continue;
                    RemoveExisting(path);
                    CpNative.Link(Path.Join(root, string.Join('/', target)), path);
                    break;
                default:
                    continue;
            }
            if (keepOwners && Environment.IsPrivilegedProcess) CpNative.Lchown(path, e.Uid, e.Gid);
        }
        foreach (var (path, time) in dirTimes) Directory.SetLastWriteTimeUtc(path, time.UtcDateTime);
        return total;
    }

    private static string Rebase(string name, string? from, string? to)
    {
        if (from is null || to is null) return name;
        var n = name.StartsWith("./", StringComparison.Ordinal) && from != "." ? name[2..] : name;
        if (n == from) return to;
        return n.StartsWith(from + "/", StringComparison.Ordinal) ? to + n[from.Length..] : name;
    }

    private static List<string> Clean(string name)
    {
        var parts = new List<string>();
        foreach (var p in name.Split('/'))
        {
            if (p is "" or ".") continue;
            if (p == "..")
            {
                if (parts.Count == 0) throw new UsageException($"invalid tar entry {name}: path escapes the destination");
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(p);
        }
        return parts;
    }

    /// <summary>Creates missing parents; an existing parent that is a symlink is refused, so an archive cannot plant a link and write through it.</summary>
    private static void EnsureParents(string root, List<string> parts)
    {
        var path = root;
        foreach (var p in parts.Take(parts.Count - 1))
        {
            path = Path.Join(path, p);
            if (IsLink(path)) throw new UsageException($"refusing to write through the symlink {path}");
            if (!Directory.Exists(path)) Directory.CreateDirectory(path);
        }
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    private static void RemoveExisting(string path)
    {
        if (IsLink(path) || File.Exists(path)) File.Delete(path);
        else if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }
}
