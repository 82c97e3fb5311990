namespace Berth.Compose.Loader;

internal sealed partial class ProjectLoader
{
    private static readonly string[] ImportedSections = ["services", "networks", "volumes", "configs", "secrets"];

    /// <summary>
    /// include: each entry is loaded as its own project (relative paths against its project_directory, which defaults
    /// to the included file's directory; its env_file feeds interpolation), then its resources are imported.
    /// A resource defined both here and in the included project is an error, as in docker compose.
    /// </summary>
    private void ApplyIncludes(MappingNode root, string path, LoadContext ctx)
    {
        var include = root.Get("include");
        if (include is null) return;
        root.Remove("include");
        if (include is ScalarNode { IsNull: true }) return;
        if (include is not SequenceNode seq) throw Errors.At(include, "include", $"must be a list, not a {include.Kind}");
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            var ip = $"include[{i}]";
            List<string> paths;
            string? projectDirectory = null;
            List<string> envFiles = [];
            if (item is ScalarNode { Value: { } single })
            {
                paths = [ctx.ResolvePath(single, item.Source)];
            }
            else
            {
                var m = NodeReader.Mapping(item, ip);
                var pathNode = m.Get("path") ?? throw Errors.At(item, ip, "path is required");
                paths = NodeReader.StringList(pathNode, ip + ".path").Select(x => ctx.ResolvePath(x, pathNode.Source)).ToList();
                if (m.Get("project_directory") is { } pd && NodeReader.String(pd, ip + ".project_directory") is { } pds)
                    projectDirectory = ctx.ResolvePath(pds, pd.Source);
                if (m.Get("env_file") is { } ef)
                    envFiles = NodeReader.StringList(ef, ip + ".env_file").Select(x => ctx.ResolvePath(x, ef.Source)).ToList();
            }
            if (paths.Count == 0) throw Errors.At(item, ip, "path is required");
            var dir = projectDirectory ?? Path.GetDirectoryName(paths[0])!;
            if (envFiles.Count == 0 && File.Exists(Path.Join(dir, ".env"))) envFiles.Add(Path.Join(dir, ".env"));
            var includedCtx = ChildContext(ctx, envFiles);

            MappingNode? merged = null;
            foreach (var file in paths)
            {
                if (ctx.FileChain.Contains(file))
                    throw new ComposeException($"include cycle detected:\n{string.Join("\n include ", ctx.FileChain.Reverse().Append(file))}");
                if (!File.Exists(file)) throw Errors.At(item, ip, $"open {file}: no such file or directory");
                var tree = YamlParser.Parse(File.ReadAllText(file), file, dir) ?? new MappingNode(new SourceLocation(file, 1, dir));
                ctx.FileChain.Push(file);
                Prepare(tree, file, includedCtx);
                ctx.FileChain.Pop();
                merged = merged is null ? tree : (MappingNode)(NodeMerger.Merge(merged, tree, "") ?? tree);
            }
            foreach (var w in includedCtx.Warnings) ctx.Warn(w);
            Import(root, merged!, item);
        }
    }

    private static LoadContext ChildContext(LoadContext ctx, List<string> envFiles)
    {
        if (envFiles.Count == 0) return new LoadContext(ctx.Environment, ctx.Home, ctx.Interpolate, ctx.FileChain);
        // The included project's env files sit below the variables of the including project.
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in envFiles)
        {
            if (!File.Exists(f)) throw new ComposeException($"couldn't find env file: {f}");
            foreach (var (k, v) in DotEnvParser.Parse(File.ReadAllText(f), f, ctx.Lookup)) env[k] = v;
        }
        foreach (var (k, v) in ctx.Environment) env[k] = v;
        return new LoadContext(env, ctx.Home, ctx.Interpolate, ctx.FileChain);
    }

    private static void Import(MappingNode root, MappingNode included, Node at)
    {
        foreach (var section in ImportedSections)
        {
            if (included.Get(section) is not MappingNode src) continue;
            if (root.Get(section) is not MappingNode dst)
            {
                dst = new MappingNode(src.Source);
                root.Set(section, dst);
            }
            foreach (var e in src.Entries)
            {
                if (dst.Get(e.Key) is not null)
                    throw Errors.At(at, "include", $"imported compose file {Path.GetFileName(e.Value.Source.File)} defines conflicting {section.TrimEnd('s')} {e.Key}");
                dst.Set(e.Key, e.Value, e.KeyLine);
            }
        }
    }
}
