using System.Globalization;
using Berth.Builder.Dockerfile;

namespace Berth.Builder.Execution;

public sealed partial class ClassicBuilder
{
    /// <summary>One <c>RUN --mount=type=bind</c> worked out: where it goes, what it binds, and what names its content.</summary>
    private sealed record BindPlan(RunMount Mount, string Target, string SourceRel, BuildImage? Image, string ContentKey);

    /// <summary>
    /// Resolves the binds of a RUN before its cache lookup, as BuildKit's dockerfile2llb dispatchRunMounts does: a relative target
    /// is under WORKDIR; the source is a path in the build context or in an earlier stage or image (<c>from</c>). The step then
    /// depends on what is bound: the context's files by their content (the names COPY gives them), a stage or image by its id.
    /// </summary>
    private async Task<List<BindPlan>> PlanBindsAsync(StageState s, IEnumerable<RunMount> mounts, CancellationToken ct)
    {
        var plans = new List<BindPlan>();
        foreach (var m in mounts.Where(m => m.Type == "bind"))
        {
            var target = m.Target.StartsWith('/') ? GoPath.Clean(m.Target) : GoPath.Clean("/" + (s.RunConfig.WorkingDir ?? "") + "/" + m.Target);
            if (target == "/") throw new BuildFailedException($"invalid mount target \"{target}\"");
            var source = GoPath.Clean("/" + m.Source);
            var rel = source.TrimStart('/');
            if (m.From.Length == 0)
            {
                if (!Exists(RootfsPath.Resolve(_contextDir, rel)))
                    throw new BuildFailedException($"failed to compute cache key: failed to calculate checksum of ref context: \"{source}\": not found");
                plans.Add(new BindPlan(m, target, rel, null, "context:" + _contextHasher.SourceHash(rel)));
                continue;
            }
            var image = await ResolveMountFromAsync(s, m.From, target, ct);
            plans.Add(new BindPlan(m, target, rel, image, "image:" + image.Id));
        }
        return plans;
    }

    private async Task<BuildImage> ResolveMountFromAsync(StageState s, string from, string target, CancellationToken ct)
    {
        var index = _doc.IndexOf(from);
        if (index < 0 && int.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var ix) && ix < _doc.Stages.Count) index = ix;
        if (index >= 0)
        {
            if (index < s.StageIndex && _stageResults.TryGetValue(index, out var built)) return await built.Task.WaitAsync(ct);
            throw new BuildFailedException($"cannot mount from stage \"{from}\" to \"{target}\", stage needs to be defined before current command");
        }
        if (from == "scratch") return BuildImage.Scratch;
        return backend.FindImage(from) ?? throw new BuildFailedException(PullError(from));
    }

    /// <summary>
    /// Makes the host side of each bind for the step's container: the context path itself read-only, or a copy when <c>rw</c>
    /// (BuildKit keeps no output of a bind: what the step writes there is gone after it); a stage or image through a writable
    /// mount of its root that is dropped after the step. The source must exist in what is bound.
    /// </summary>
    private async Task<List<string>> MountBindsAsync(List<BindPlan> plans, List<IAsyncDisposable> cleanup, CancellationToken ct)
    {
        var binds = new List<string>();
        foreach (var p in plans)
        {
            string root;
            if (p.Image is null) root = _contextDir;
            else if (p.Image.Id.Length == 0)
            {
                root = Path.Join(_tempDir, "scratch-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(root);
            }
            else
            {
                var layer = await backend.MountImageAsync(p.Image, ct);
                cleanup.Add(layer);
                root = layer.RootDir;
            }
            var host = p.SourceRel.Length == 0 ? root : RootfsPath.Resolve(root, p.SourceRel);
            if (!Exists(host)) throw new BuildFailedException($"failed to compute cache key: failed to calculate checksum of ref {p.Mount.From}: \"/{p.SourceRel}\": not found");
            if (p.Mount.ReadWrite && p.Image is null)
            {
                var copy = Path.Join(_tempDir, "bind-" + Guid.NewGuid().ToString("N"));
                if (Directory.Exists(host))
                {
                    Directory.CreateDirectory(copy);
                    TreeCopier.CopyDirectoryContents(host, copy, new CopyIdentity(0, 0, true), null);
                }
                else TreeCopier.CopyFile(host, copy, new CopyIdentity(0, 0, true), null);
                host = copy;
            }
            binds.Add(host + ":" + p.Target + (p.Mount.ReadWrite ? "" : ":ro"));
        }
        return binds;
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);
}
