namespace Berth.Compose.Loader;

internal sealed partial class ProjectLoader
{
    /// <summary>Resolves every service's <c>extends</c> (same file or another file) by merging the base service under it.</summary>
    private void ApplyExtends(MappingNode root, string path, LoadContext ctx)
    {
        if (root.Get("services") is not MappingNode services) return;
        var resolving = new List<string>();
        foreach (var name in services.Keys.ToList()) ResolveExtends(services, name, path, ctx, resolving);
    }

    private void ResolveExtends(MappingNode services, string name, string file, LoadContext ctx, List<string> resolving)
    {
        if (services.Get(name) is not MappingNode svc || svc.Get("extends") is not { } ext) return;
        var p = $"services.{name}.extends";
        var key = $"{file}#{name}";
        if (resolving.Contains(key))
            throw Errors.At(ext, p, $"circular reference with extends: {string.Join(" -> ", resolving.Append(key).Select(k => k.Split('#')[1]))}");
        resolving.Add(key);
        string baseName;
        string? otherFile = null;
        if (ext is ScalarNode { Value: { } s }) baseName = s;
        else
        {
            var m = NodeReader.Mapping(ext, p);
            baseName = NodeReader.RequiredString(m.Get("service") ?? throw Errors.At(ext, p, "service is required"), p + ".service");
            if (m.Get("file") is { } f && NodeReader.String(f, p + ".file") is { } fs)
                otherFile = ctx.ResolvePath(fs, f.Source with { BaseDir = Path.GetDirectoryName(f.Source.File) is { Length: > 0 } d ? d : f.Source.BaseDir });
        }

        MappingNode baseService;
        if (otherFile is null || otherFile == file)
        {
            ResolveExtends(services, baseName, file, ctx, resolving);
            baseService = services.Get(baseName) as MappingNode
                ?? throw Errors.At(ext, p, $"cannot extend service \"{name}\": service \"{baseName}\" not found");
        }
        else
        {
            if (!File.Exists(otherFile)) throw Errors.At(ext, p, $"open {otherFile}: no such file or directory");
            // Relative paths in the other file are relative to that file's directory.
            var dir = Path.GetDirectoryName(otherFile)!;
            var other = YamlParser.Parse(File.ReadAllText(otherFile), otherFile, dir) ?? new MappingNode(new SourceLocation(otherFile, 1, dir));
            if (ctx.Interpolate) InterpolateTree(other, "", ctx);
            var otherServices = other.Get("services") as MappingNode
                ?? throw Errors.At(ext, p, $"cannot extend service \"{name}\": service \"{baseName}\" not found in {otherFile}");
            ResolveExtends(otherServices, baseName, otherFile, ctx, resolving);
            baseService = otherServices.Get(baseName) as MappingNode
                ?? throw Errors.At(ext, p, $"cannot extend service \"{name}\": service \"{baseName}\" not found in {otherFile}");
        }
        resolving.Remove(key);

        var local = (MappingNode)svc.DeepClone();
        local.Remove("extends");
        var merged = (MappingNode)(NodeMerger.Merge(baseService.DeepClone(), local, "services.*") ?? local);
        merged.Remove("extends");
        services.Set(name, merged);
    }
}
