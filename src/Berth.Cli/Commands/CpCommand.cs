using System.IO.Pipelines;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth cp [-a] [-L] [-q] CONTAINER:SRC DEST|-</c> and <c>SRC|- CONTAINER:DEST</c>, with docker's path rules: an existing
/// directory receives the source under its own name, "src/." copies a directory's content, anything else is created or replaced
/// under the destination's name (the archive's top entry renamed, as docker's PrepareArchiveCopy does).
/// </summary>
internal static class CpCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Flag("archive", 'a'), OptionSpec.Flag("follow-link", 'L'), OptionSpec.Flag("quiet", 'q')];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        if (a.Positionals.Count != 2) throw new UsageException("\"cp\" requires exactly 2 arguments.");
        var (srcContainer, srcPath) = Split(a.Positionals[0]);
        var (dstContainer, dstPath) = Split(a.Positionals[1]);
        if (srcContainer is not null && dstContainer is not null) throw new UsageException("copying between containers is not supported");
        if (srcContainer is null && dstContainer is null) throw new UsageException("must specify at least one container source");
        if (srcContainer is not null) return await FromContainerAsync(ctx, srcContainer, srcPath, dstPath, a.Flag("follow-link"), a.Flag("archive"), a.Flag("quiet"), ct);
        return await ToContainerAsync(ctx, srcPath, dstContainer!, dstPath, a.Flag("follow-link"), a.Flag("archive"), a.Flag("quiet"), ct);
    }

    /// <summary>docker's splitCpArg: an absolute or "./"-relative local path, else <c>container:path</c> when there is a colon.</summary>
    internal static (string? Container, string Path) Split(string arg)
    {
        if (arg.StartsWith('/')) return (null, arg);
        var colon = arg.IndexOf(':');
        if (colon < 0 || arg.StartsWith('.')) return (null, arg);
        return (arg[..colon], arg[(colon + 1)..]);
    }

    private static async Task<int> FromContainerAsync(CliContext ctx, string container, string srcPath, string dstPath, bool follow, bool archive, bool quiet, CancellationToken ct)
    {
        string? rebaseFrom = null, rebaseTo = null;
        var requested = srcPath;
        if (follow)
        {
            var st = await ctx.Client.StatContainerPathAsync(container, srcPath, ct);
            if ((st.Mode & (1u << 27)) != 0 && !string.IsNullOrEmpty(st.LinkTarget))
            {
                srcPath = st.LinkTarget;
                (rebaseFrom, rebaseTo) = (BaseOf(srcPath), BaseOf(requested));
            }
        }
        var (stat, tar) = await ctx.Client.GetContainerArchiveAsync(container, srcPath, ct);
        await using (tar)
        {
            if (dstPath == "-")
            {
                await tar.CopyToAsync(ctx.StdoutStream, ct);
                return 0;
            }
            var srcIsDir = (stat.Mode & (1u << 31)) != 0;
            var srcBase = rebaseFrom ?? BaseOf(srcPath);
            var dst = LocalAbs(dstPath);
            string dir;
            string? from = rebaseFrom, to = rebaseTo;
            if (Directory.Exists(dst))
            {
                dir = dst;
            }
            else if (File.Exists(dst))
            {
                if (srcIsDir) throw new UsageException("cannot copy a directory to a file");
                (dir, from, to) = (Path.GetDirectoryName(dst.TrimEnd('/'))!, srcBase, Path.GetFileName(dst.TrimEnd('/')));
            }
            else
            {
                if (AssertsDirectory(dstPath) && !srcIsDir) throw new UsageException($"destination directory \"{dstPath}\" does not exist");
                var trimmed = dst.TrimEnd('/');
                if (trimmed.EndsWith("/.", StringComparison.Ordinal)) trimmed = trimmed[..^2];
                dir = Path.GetDirectoryName(trimmed)!;
                if (!Directory.Exists(dir)) throw new UsageException($"destination directory \"{dir}\" does not exist");
                (from, to) = (srcBase, Path.GetFileName(trimmed));
            }
            var size = await CpArchive.ExtractAsync(tar, dir, from, to, archive, ct);
            if (!quiet) ctx.Err.WriteLine($"Successfully copied {HumanUnits.Size(size)} to {dstPath}");
        }
        return 0;
    }

    private static async Task<int> ToContainerAsync(CliContext ctx, string srcPath, string container, string dstPath, bool follow, bool archive, bool quiet, CancellationToken ct)
    {
        if (srcPath == "-")
        {
            await ctx.Client.PutContainerArchiveAsync(container, dstPath, ctx.StdinStream, noOverwriteDirNonDir: true, archive, ct);
            return 0;
        }
        var src = LocalAbs(srcPath);
        var srcInfo = new FileInfo(src.TrimEnd('/').EndsWith("/.", StringComparison.Ordinal) ? src.TrimEnd('/')[..^2] : src.TrimEnd('/'));
        if (!srcInfo.Exists && !Directory.Exists(srcInfo.FullName) && srcInfo.LinkTarget is null)
            throw new UsageException($"stat {srcPath}: no such file or directory");
        var srcIsDir = Directory.Exists(srcInfo.FullName) && (srcInfo.LinkTarget is null || follow || AssertsDirectory(srcPath));
        var srcBase = BaseOf(srcPath);

        string putDir, topName;
        Api.Models.Containers.ContainerPathStatJson? dst = null;
        try
        {
            dst = await ctx.Client.StatContainerPathAsync(container, dstPath, ct);
            if ((dst.Mode & (1u << 27)) != 0 && !dstPath.EndsWith('/') && !string.IsNullOrEmpty(dst.LinkTarget))
            {
                dstPath = dst.LinkTarget;
                dst = await ctx.Client.StatContainerPathAsync(container, dstPath, ct);
            }
        }
        catch (DockerApiException ex) when (ex.IsNotFound)
        {
            dst = null;
        }
        if (dst is not null && (dst.Mode & (1u << 31)) != 0)
        {
            (putDir, topName) = (dstPath, srcBase);
        }
        else if (dst is not null)
        {
            if (srcIsDir) throw new UsageException("cannot copy a directory to a file");
            (putDir, topName) = (ParentOf(dstPath), BaseOf(dstPath.TrimEnd('/')));
        }
        else
        {
            if (AssertsDirectory(dstPath) && !srcIsDir) throw new UsageException($"destination directory \"{dstPath}\" does not exist");
            (putDir, topName) = (ParentOf(StripDirAssertion(dstPath)), BaseOf(StripDirAssertion(dstPath)));
        }

        var pipe = new Pipe();
        long size = 0;
        var producer = Task.Run(async () =>
        {
            try
            {
                await using var w = pipe.Writer.AsStream();
                size = await CpArchive.WriteAsync(srcInfo.FullName, topName, follow || srcIsDir, w, ct);
            }
            catch (Exception ex)
            {
                await pipe.Writer.CompleteAsync(ex);
                throw;
            }
        }, ct);
        await using (var r = pipe.Reader.AsStream())
        {
            await ctx.Client.PutContainerArchiveAsync(container, putDir, r, noOverwriteDirNonDir: true, archive, ct);
        }
        await producer;
        if (!quiet) ctx.Err.WriteLine($"Successfully copied {HumanUnits.Size(size)} to {container}:{dstPath}");
        return 0;
    }

    private static string LocalAbs(string path)
    {
        var full = Path.GetFullPath(path);
        if (path.EndsWith("/.", StringComparison.Ordinal) || path == ".") return full.TrimEnd('/') + "/.";
        if (path.EndsWith('/') && !full.EndsWith('/')) return full + "/";
        return full;
    }

    private static bool AssertsDirectory(string path) => path.EndsWith('/') || path.EndsWith("/.", StringComparison.Ordinal) || path == ".";

    /// <summary>Go's SplitPathDirEntry base: "." for "dir/.", else the last element.</summary>
    internal static string BaseOf(string path)
    {
        if (path.EndsWith("/.", StringComparison.Ordinal) || path == ".") return ".";
        var trimmed = path.TrimEnd('/');
        if (trimmed.Length == 0) return "/";
        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }

    private static string StripDirAssertion(string path)
    {
        var trimmed = path.TrimEnd('/');
        return trimmed.EndsWith("/.", StringComparison.Ordinal) ? trimmed[..^2] : trimmed;
    }

    private static string ParentOf(string path)
    {
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash <= 0 ? "/" : trimmed[..slash];
    }
}
