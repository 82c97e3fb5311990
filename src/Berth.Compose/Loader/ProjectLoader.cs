using Berth.Compose.Model;

namespace Berth.Compose.Loader;

/// <summary>
/// The load pipeline for parsed files: project name, interpolation, include, extends, merge across -f files,
/// schema check, normalization to the model, profiles and cross-reference validation.
/// </summary>
internal sealed partial class ProjectLoader(ComposeLoadOptions options, string projectDir, Dictionary<string, string> environment)
{
    private LoadContext _ctx = null!;

    public ComposeProject Load(IReadOnlyList<(string Path, string Text)> files)
    {
        var trees = files.Select(f => (f.Path, Root: YamlParser.Parse(f.Text, f.Path, projectDir) ?? new MappingNode(new SourceLocation(f.Path, 1, projectDir)))).ToList();

        // The name is needed before interpolation so ${COMPOSE_PROJECT_NAME} works in the files (compose-go does the same).
        var probe = new LoadContext(environment, Home(), options.Interpolate);
        string? nameFromFile = null;
        foreach (var (path, root) in trees)
            if (root.Get("name") is ScalarNode { Value: { } n } nameNode)
                nameFromFile = options.Interpolate ? Substitute(n, nameNode, "name", probe) : n;
        var name = ProjectNames.Resolve(options.ProjectName, environment, nameFromFile, projectDir);
        environment["COMPOSE_PROJECT_NAME"] = name;
        _ctx = new LoadContext(environment, Home(), options.Interpolate);

        MappingNode? merged = null;
        foreach (var (path, root) in trees)
        {
            _ctx.FileChain.Push(path);
            Prepare(root, path, _ctx);
            _ctx.FileChain.Pop();
            merged = merged is null ? root : (MappingNode)(NodeMerger.Merge(merged, root, "") ?? new MappingNode(root.Source));
        }
        merged ??= new MappingNode(new SourceLocation("compose.yaml", 0, projectDir));
        if (merged.Count == 0) throw new ComposeException("empty compose file");
        SchemaValidator.Validate(merged);
        if (merged.Get("version") is not null)
            _ctx.Warn("the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion");
        return Build(merged, name, files.Select(f => f.Path).ToList());
    }

    /// <summary>Per-file steps, in compose-go's order: interpolate, then include, then extends.</summary>
    private void Prepare(MappingNode root, string path, LoadContext ctx)
    {
        if (ctx.Interpolate) InterpolateTree(root, "", ctx);
        ApplyIncludes(root, path, ctx);
        ApplyExtends(root, path, ctx);
    }

    private string? Home()
        => options.HomeDirectory ?? (options.Environment.TryGetValue("HOME", out var h) && h.Length > 0 ? h : null);

    private ComposeProject Build(MappingNode root, string name, List<string> files)
    {
        var services = new SortedDictionary<string, ServiceConfig>(StringComparer.Ordinal);
        if (root.Get("services") is MappingNode sm)
            foreach (var e in sm.Entries) services[e.Key] = ServiceParser.Parse(e.Key, e.Value, _ctx);

        var networks = new SortedDictionary<string, NetworkConfig>(StringComparer.Ordinal);
        if (root.Get("networks") is MappingNode nm)
            foreach (var e in nm.Entries) networks[e.Key] = TopLevelParser.Network(e.Key, e.Value, name, $"networks.{e.Key}");
        var volumes = new SortedDictionary<string, VolumeConfig>(StringComparer.Ordinal);
        if (root.Get("volumes") is MappingNode vm)
            foreach (var e in vm.Entries) volumes[e.Key] = TopLevelParser.Volume(e.Key, e.Value, name, $"volumes.{e.Key}");
        var configs = new SortedDictionary<string, FileObjectConfig>(StringComparer.Ordinal);
        if (root.Get("configs") is MappingNode cm)
            foreach (var e in cm.Entries) configs[e.Key] = TopLevelParser.FileObject(e.Key, e.Value, name, $"configs.{e.Key}", secret: false, _ctx);
        var secrets = new SortedDictionary<string, FileObjectConfig>(StringComparer.Ordinal);
        if (root.Get("secrets") is MappingNode scm)
            foreach (var e in scm.Entries) secrets[e.Key] = TopLevelParser.FileObject(e.Key, e.Value, name, $"secrets.{e.Key}", secret: true, _ctx);

        var profiles = options.Profiles.Count > 0
            ? options.Profiles.ToList()
            : environment.TryGetValue("COMPOSE_PROFILES", out var p) ? p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() : [];
        var active = new SortedDictionary<string, ServiceConfig>(StringComparer.Ordinal);
        var disabled = new SortedDictionary<string, ServiceConfig>(StringComparer.Ordinal);
        foreach (var (key, svc) in services)
        {
            var on = svc.Profiles.Count == 0 || profiles.Contains("*") || svc.Profiles.Any(profiles.Contains);
            (on ? active : disabled)[key] = svc;
        }

        ValidateReferences(services, networks, volumes, configs, secrets);
        if (services.Values.Any(s => s.Networks.ContainsKey("default")) && !networks.ContainsKey("default"))
            networks["default"] = new NetworkConfig { Name = $"{name}_default" };

        var project = new ComposeProject
        {
            Name = name,
            WorkingDir = projectDir,
            ConfigFiles = files,
            Services = active,
            DisabledServices = disabled,
            Networks = networks,
            Volumes = volumes,
            Configs = configs,
            Secrets = secrets,
            Profiles = profiles,
            Environment = environment,
            Warnings = _ctx.Warnings,
        };
        if (options.EnabledServices.Count > 0)
        {
            var unknown = options.EnabledServices.FirstOrDefault(s => !services.ContainsKey(s));
            if (unknown is not null) throw new ComposeException($"no such service: {unknown}");
            project = project.WithServicesEnabled(options.EnabledServices);
        }
        return DependencyValidator.Validate(project);
    }
}
