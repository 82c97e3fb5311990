using System.Globalization;
using System.IO.Compression;
using Berth.Builder.Dockerfile;

namespace Berth.Builder.Execution;

public sealed partial class ClassicBuilder
{
    /// <summary>
    /// COPY and ADD (moby performCopy): sources are resolved and hashed first; the step is cached on
    /// "&lt;shell&gt; #(nop) COPY [--chown=…] file:&lt;hash&gt; in &lt;dest&gt; "; otherwise the files go into a writable layer.
    /// </summary>
    private async Task CopyAsync(StageState s, CopyInstruction copy, CancellationToken ct)
    {
        var name = copy.IsAdd ? "ADD" : "COPY";
        if (copy.Parents) throw new BuildFailedException("the --parents option is not supported by this builder");
        var dest = s.Expand(copy.Dest);
        var chown = s.Expand(copy.Chown);
        var chmodText = s.Expand(copy.Chmod);
        UnixFileMode? chmod = null;
        if (chmodText.Length > 0)
        {
            if (!int.TryParse(chmodText, NumberStyles.None, CultureInfo.InvariantCulture, out _) || chmodText.Any(c => c > '7'))
                throw new BuildFailedException($"invalid chmod parameter: '{chmodText}'. it should be octal string and between 0 and 07777");
            chmod = (UnixFileMode)Convert.ToInt32(chmodText, 8);
        }

        IBuildLayer? fromMount = null;
        try
        {
            var sourceRoot = _contextDir;
            var hasher = _contextHasher;
            var preserve = false;
            if (copy.From.Length > 0)
            {
                var fromImage = await ResolveCopyFromAsync(s, copy.From, ct);
                fromMount = await backend.MountImageAsync(fromImage, ct);
                sourceRoot = fromMount.RootDir;
                hasher = SourceHasher.ForTree(sourceRoot);
                preserve = chown.Length == 0;
            }
            var excludes = copy.Excludes.Count > 0 ? new DockerIgnore(copy.Excludes.Select(s.Expand)) : null;
            var sources = new List<CopySource>();
            foreach (var src in copy.Sources.Select(s.Expand))
            {
                if (IsUrl(src))
                {
                    if (!copy.IsAdd) throw new BuildFailedException($"{name} failed: source can't be a URL for COPY");
                    sources.Add(await DownloadAsync(src, dest, s.Expand(copy.Checksum), ct));
                    continue;
                }
                sources.AddRange(ResolveSources(sourceRoot, hasher, src, copy.From.Length > 0, excludes, name));
            }
            foreach (var inline in copy.Inline)
            {
                var data = inline.Expand ? s.Expand(inline.Data) : inline.Data;
                var dir = Path.Join(_tempDir, "inline-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(dir);
                await File.WriteAllTextAsync(Path.Join(dir, inline.Path), data, ct);
                File.SetUnixFileMode(Path.Join(dir, inline.Path), (UnixFileMode)0b110_100_100);
                sources.Add(new CopySource(dir, inline.Path, SourceHasher.ForTree(dir).SourceHash(inline.Path), false, NoDecompress: true));
            }
            if (sources.Count == 0) throw new BuildFailedException($"{name} failed: no source files were specified");
            if (sources.Count > 1 && !dest.EndsWith('/'))
                throw new BuildFailedException($"When using {name} with more than one source file, the destination must be a directory and end with a /");

            var hash = sources.Count == 1 ? sources[0].Hash : FileHasher.HashMany(sources.Select(x => x.Hash));
            // Docker 28 writes "--chown=%s " with a blank before the source (moby v28.5.2 builder/dockerfile/internals.go:128);
            // Docker before 23 wrote none. It writes no --chmod (it refuses it without BuildKit); ours and --exclude follow the same form.
            var flags = (chown.Length > 0 ? $"--chown={chown} " : "") + (chmodText.Length > 0 ? $"--chmod={chmodText} " : "") +
                        (copy.Excludes.Count > 0 ? $"--exclude={string.Join(',', copy.Excludes)} " : "");
            var probe = ConfigCopy.Clone(s.RunConfig);
            probe.Cmd = [.. s.Shell(), $"#(nop) {name} {flags}{hash} in {dest} "];
            if (await TryCacheAsync(s, probe, ct)) return;

            await using var layer = await backend.CreateLayerAsync(s.Image, ct);
            var destPath = NormalizeDest(s.RunConfig.WorkingDir ?? "", dest);
            var identity = chown.Length > 0 ? UserLookup.ParseChown(chown, layer.RootDir) : preserve ? new CopyIdentity(0, 0, true) : CopyIdentity.Root;
            foreach (var src in sources) await CopyOneAsync(layer.RootDir, src, destPath, identity, chmod, copy.IsAdd, ct);
            var diff = await layer.CommitAsync(ct);
            await CommitImageAsync(s, probe, diff, ct);
        }
        finally
        {
            if (fromMount is not null) await fromMount.DisposeAsync();
        }
    }

    private async Task<BuildImage> ResolveCopyFromAsync(StageState s, string from, CancellationToken ct)
    {
        var index = _doc.IndexOf(from);
        if (index < 0 && int.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var ix))
        {
            if (ix >= _doc.Stages.Count) throw new BuildFailedException($"invalid from flag value {from}: index out of bounds");
            index = ix;
        }
        if (index >= 0)
        {
            // An earlier stage may still be running (parallel stages): wait for it; a later one is an error, as in Docker.
            if (index < s.StageIndex && _stageResults.TryGetValue(index, out var built)) return await built.Task.WaitAsync(ct);
            throw new BuildFailedException($"invalid from flag value {from}: refers to current build stage");
        }
        return backend.FindImage(from) ?? throw new BuildFailedException($"invalid from flag value {from}: {PullError(from)}");
    }

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(10) };

    /// <summary>
    /// ADD &lt;url&gt; (moby downloadSource): the file is named after the URL's last path element, gets mode 0600 and the
    /// Last-Modified time, and is never unpacked. <c>--checksum=sha256:…</c> is verified.
    /// </summary>
    private async Task<CopySource> DownloadAsync(string url, string dest, string checksum, CancellationToken ct)
    {
        var name = Path.GetFileName(new Uri(url).AbsolutePath.TrimEnd('/'));
        if (name.Length == 0)
        {
            if (dest.EndsWith('/')) throw new BuildFailedException($"cannot determine filename for source {url}");
            name = "__unnamed__";
        }
        var dir = Path.Join(_tempDir, "url-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Join(dir, name);
        try
        {
            using var response = await Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
                throw new BuildFailedException($"failed to GET {url} with status {(int)response.StatusCode} {response.ReasonPhrase}");
            await using (var file = File.Create(path))
                await response.Content.CopyToAsync(file, ct);
            if (response.Content.Headers.LastModified is { } modified) File.SetLastWriteTimeUtc(path, modified.UtcDateTime);
        }
        catch (HttpRequestException ex)
        {
            throw new BuildFailedException($"failed to GET {url}: {ex.Message}", null, ex);
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (checksum.Length > 0)
        {
            await using var f = File.OpenRead(path);
            var actual = "sha256:" + Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(f, ct));
            if (!string.Equals(actual, checksum, StringComparison.OrdinalIgnoreCase))
                throw new BuildFailedException($"digest mismatch {actual}: {checksum}");
        }
        return new CopySource(dir, name, SourceHasher.ForTree(dir).SourceHash(name), false, NoDecompress: true);
    }

    private static bool IsUrl(string s) => s.StartsWith("http://", StringComparison.Ordinal) || s.StartsWith("https://", StringComparison.Ordinal);

    private List<CopySource> ResolveSources(string root, SourceHasher hasher, string orig, bool fromImage, DockerIgnore? excludes, string name)
    {
        var rel = orig.TrimStart('/');
        if (rel.StartsWith("./", StringComparison.Ordinal)) rel = rel[2..];
        var result = new List<CopySource>();
        if (GoGlob.HasWildcards(rel))
        {
            var pattern = GoGlob.Compile(GoPath.Clean(rel));
            foreach (var path in FileHasher.Walk(root))
            {
                var r = Path.GetRelativePath(root, path);
                if (!pattern.IsMatch(r) || excludes?.Matches(r) == true) continue;
                result.Add(Source(root, hasher, r, r));
            }
            return result;
        }
        var clean = GoPath.Clean(rel);
        if (clean == "..") throw new BuildFailedException($"{name} failed: forbidden path outside the build context: {orig}");
        var full = clean == "." ? root : RootfsPath.Resolve(root, clean);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            var where = fromImage ? "" : "file not found in build context or excluded by .dockerignore: ";
            throw new BuildFailedException($"{name} failed: {where}stat {clean}: file does not exist");
        }
        if (excludes?.Matches(clean) == true) return result;
        result.Add(Source(root, hasher, Path.GetRelativePath(root, full), clean) with { BaseName = Path.GetFileName(clean) });
        return result;
    }

    /// <summary>A source at <paramref name="rel"/> (resolved), named as moby names <paramref name="asWritten"/>.</summary>
    private static CopySource Source(string root, SourceHasher hasher, string rel, string asWritten)
    {
        rel = rel == "." ? "" : rel;
        var full = rel.Length == 0 ? root : Path.Join(root, rel);
        return new CopySource(root, rel, hasher.SourceHash(asWritten == "." ? "" : asWritten), Directory.Exists(full));
    }

    private async Task CopyOneAsync(string layerRoot, CopySource src, string destPath, CopyIdentity identity, UnixFileMode? chmod, bool isAdd, CancellationToken ct)
    {
        var srcFull = src.Rel.Length == 0 ? src.Root : Path.Join(src.Root, src.Rel);
        var destFull = RootfsPath.Resolve(layerRoot, destPath);
        if (src.IsDirectory)
        {
            TreeCopier.CopyDirectoryContents(srcFull, destFull, identity, chmod);
            return;
        }
        if (isAdd && !src.NoDecompress && IsArchive(srcFull))
        {
            TreeCopier.MakeParents(destFull, identity);
            if (!TreeCopier.IsRealDirectory(destFull)) Directory.CreateDirectory(destFull);
            await using var tar = File.OpenRead(srcFull);
            await backend.ExtractTarAsync(tar, destFull, ct);
            return;
        }
        if (TreeCopier.IsRealDirectory(destFull) || destPath.EndsWith('/'))
            destFull = Path.Join(destFull, src.BaseName);
        TreeCopier.CopyFile(srcFull, destFull, identity, chmod);
    }

    /// <summary>ADD unpacks a local file when it is a tar, plain or gzip-compressed (moby's archive.IsArchivePath).</summary>
    private static bool IsArchive(string path)
    {
        using var f = File.OpenRead(path);
        var head = new byte[2];
        if (f.Read(head) < 2) return false;
        f.Position = 0;
        Stream s = head[0] == 0x1f && head[1] == 0x8b ? new GZipStream(f, CompressionMode.Decompress, leaveOpen: true) : f;
        var block = new byte[512];
        var read = 0;
        try
        {
            int n;
            while (read < 512 && (n = s.Read(block, read, 512 - read)) > 0) read += n;
        }
        catch (InvalidDataException)
        {
            return false;
        }
        if (!ReferenceEquals(s, f)) s.Dispose();
        return read == 512 && System.Text.Encoding.ASCII.GetString(block, 257, 5) == "ustar";
    }

    /// <summary>moby normalizeDest: a relative destination is under WORKDIR; a trailing slash is kept.</summary>
    internal static string NormalizeDest(string workingDir, string requested)
    {
        if (requested.StartsWith('/')) return requested;
        var dest = GoPath.Clean("/" + workingDir + "/" + requested);
        return requested.EndsWith('/') && !dest.EndsWith('/') ? dest + "/" : dest;
    }

    /// <summary>WORKDIR: the directory is created now, in its own layer (empty when it existed), as the classic builder does.</summary>
    private async Task WorkdirAsync(StageState s, WorkdirInstruction w, CancellationToken ct)
    {
        var path = s.Expand(w.Path);
        if (path.Length == 0) throw new BuildFailedException("cannot normalize nothing");
        var current = s.RunConfig.WorkingDir ?? "";
        s.RunConfig.WorkingDir = path.StartsWith('/') ? GoPath.Clean(path) : GoPath.Clean("/" + current + "/" + path);
        var probe = ConfigCopy.Clone(s.RunConfig);
        probe.Cmd = [.. s.Shell(), "#(nop) WORKDIR " + s.RunConfig.WorkingDir];
        if (await TryCacheAsync(s, probe, ct)) return;
        if (s.ImageId.Length == 0)
        {
            await CommitImageAsync(s, probe, null, ct);
            return;
        }
        BuildLayerDiff? diff;
        await using (var layer = await backend.CreateLayerAsync(s.Image, ct))
        {
            var full = RootfsPath.Resolve(layer.RootDir, s.RunConfig.WorkingDir);
            if (!TreeCopier.IsRealDirectory(full)) TreeCopier.MakeParents(full, CopyIdentity.Root);
            diff = await layer.CommitAsync(ct);
        }
        await CommitImageAsync(s, probe, diff, ct);
    }
}
