using System.Formats.Tar;
using Berth.Builder.Dockerfile;

namespace Berth.Cli.Commands;

/// <summary>
/// Writes a build context as the docker CLI sends it: every file under the directory except what .dockerignore (or
/// <c>&lt;Dockerfile&gt;.dockerignore</c>) excludes, owners 0:0, symlinks kept, the Dockerfile and .dockerignore always included.
/// A Dockerfile outside the context is added under <paramref name="injectedName"/>.
/// </summary>
internal static class BuildContextWriter
{
    public static List<string> ReadIgnorePatterns(string contextDir, string dockerfilePath)
    {
        var specific = dockerfilePath + ".dockerignore";
        var file = File.Exists(specific) ? specific : Path.Join(contextDir, ".dockerignore");
        return File.Exists(file) ? DockerIgnore.ReadPatterns(File.ReadAllText(file)) : [];
    }

    public static async Task WriteAsync(Stream output, string contextDir, List<string> patterns, string? dockerfileRel, string? injectedName,
        string? injectedPath, CancellationToken ct)
    {
        // Docker keeps the files the build itself needs even when a pattern matches them.
        var keep = new List<string>(patterns);
        var probe = new DockerIgnore(patterns);
        if (probe.Matches(".dockerignore")) keep.Add("!.dockerignore");
        if (dockerfileRel is not null && probe.Matches(dockerfileRel)) keep.Add("!" + dockerfileRel);
        var ignore = new DockerIgnore(keep);

        await using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await WalkAsync(tar, contextDir, "", ignore, [], ct);
        if (injectedPath is not null && injectedName is not null)
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, injectedName) { Mode = (UnixFileMode)0b110_100_100, ModificationTime = DateTimeOffset.UtcNow };
            await using var data = File.OpenRead(injectedPath);
            entry.DataStream = data;
            await tar.WriteEntryAsync(entry, ct);
        }
    }

    private static async Task WalkAsync(TarWriter tar, string root, string prefix, DockerIgnore ignore, bool[] parentMatch, CancellationToken ct)
    {
        var dir = prefix.Length == 0 ? root : Path.Join(root, prefix);
        foreach (var path in Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            var rel = prefix.Length == 0 ? Path.GetFileName(path) : prefix + "/" + Path.GetFileName(path);
            var excluded = ignore.Matches(rel, parentMatch, out var matchInfo);
            var info = new FileInfo(path);
            var isDir = info.LinkTarget is null && Directory.Exists(path);
            if (excluded && !(isDir && ignore.HasExclusions)) continue;
            if (!excluded) await WriteEntryAsync(tar, path, rel, info, isDir, ct);
            if (isDir) await WalkAsync(tar, root, rel, ignore, matchInfo, ct);
        }
    }

    private static async Task WriteEntryAsync(TarWriter tar, string path, string rel, FileInfo info, bool isDir, CancellationToken ct)
    {
        if (info.LinkTarget is { } target)
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, rel) { LinkName = target, ModificationTime = info.LastWriteTimeUtc }, ct);
            return;
        }
        var mode = File.GetUnixFileMode(path);
        if (isDir)
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, rel + "/") { Mode = mode, ModificationTime = info.LastWriteTimeUtc }, ct);
            return;
        }
        if (!info.Exists) return; // sockets, fifos and devices are not part of a build context
        var entry = new PaxTarEntry(TarEntryType.RegularFile, rel) { Mode = mode, ModificationTime = info.LastWriteTimeUtc };
        await using var data = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        entry.DataStream = data;
        await tar.WriteEntryAsync(entry, ct);
    }
}
