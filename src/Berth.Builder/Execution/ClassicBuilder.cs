using System.Globalization;
using Berth.Builder.Dockerfile;

namespace Berth.Builder.Execution;

/// <summary>
/// Docker's classic builder (moby builder/dockerfile): every instruction is a step that makes an image, RUN in a container,
/// COPY/ADD/WORKDIR in a writable layer, the rest as config-only images; a step is skipped when the cache holds an image built
/// from the same parent with the same step (config, build args in scope and copied content). Stages nothing depends on are
/// skipped. Progress goes to <see cref="IBuildOutput"/> in the exact lines Docker prints.
/// </summary>
public sealed partial class ClassicBuilder(IBuildBackend backend, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<int, TaskCompletionSource<BuildImage>> _stageResults = [];
    private DockerfileDocument _doc = null!;
    private BuildOptions _options = new();
    private IBuildOutput _out = null!;
    private IBuildOutput _progress = null!;
    private string _contextDir = "";
    private IReadOnlyDictionary<string, string>? _contextSums;
    private SourceHasher _contextHasher = null!;
    private string _tempDir = "";

    /// <summary>Unpacks the context tar, reads the Dockerfile from it and builds.</summary>
    public async Task<BuildResult> BuildFromTarAsync(Stream contextTar, BuildOptions options, IBuildOutput output, CancellationToken ct)
    {
        var dir = backend.CreateTempDirectory();
        try
        {
            var context = Path.Join(dir, "context");
            Directory.CreateDirectory(context);
            _contextSums = await backend.ExtractContextAsync(contextTar, context, ct);
            var text = ReadDockerfile(context, options.Dockerfile);
            RemoveIgnoredBuildFiles(context, string.IsNullOrEmpty(options.Dockerfile) ? "Dockerfile" : options.Dockerfile);
            return await BuildAsync(text, context, options, output, ct);
        }
        finally
        {
            DeleteBestEffort(dir);
        }
    }

    public async Task<BuildResult> BuildAsync(string dockerfileText, string contextDir, BuildOptions options, IBuildOutput output, CancellationToken ct)
    {
        DockerfileDocument doc;
        try { doc = InstructionParser.Parse(dockerfileText); }
        catch (DockerfileParseException ex) { throw new BuildFailedException(ex.Message, null, ex); }
        if (doc.Stages.Count == 0) throw new BuildFailedException("No image was generated. Is your Dockerfile empty?");
        _doc = doc;
        _options = options;
        _out = output;
        _progress = options.Quiet ? NullOutput.Instance : output;
        _contextDir = contextDir;
        _contextHasher = SourceHasher.ForContext(contextDir, _contextSums);
        _tempDir = backend.CreateTempDirectory();
        try
        {
            return await RunStagesAsync(ct);
        }
        finally
        {
            DeleteBestEffort(_tempDir);
        }
    }

    private async Task<BuildResult> RunStagesAsync(CancellationToken ct)
    {
        var last = _doc.Stages.Count - 1;
        if (_options.Target.Length > 0)
        {
            last = _doc.IndexOf(_options.Target);
            if (last < 0) throw new BuildFailedException($"target stage \"{_options.Target}\" could not be found");
        }
        foreach (var (k, v) in _options.Labels.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            _doc.Stages[last].Commands.Add(new LabelInstruction { Keyword = "LABEL", Code = $"LABEL {k}={v}", Pairs = [new KeyValue(k, v, false)], NoExpand = true });

        var buildArgs = new BuildArgs(_options.BuildArgs);
        var metaLex = new ShellLex(_doc.EscapeToken);
        var needed = StageGraph.Needed(_doc, last, MetaEnv(buildArgs));
        var total = _doc.MetaArgs.Count + needed.Sum(i => 1 + _doc.Stages[i].Commands.Count);
        var step = 1;

        foreach (var meta in _doc.MetaArgs)
        {
            await StepAsync(_progress, step++, total, meta.Code, ct);
            var env = new ShellEnv(buildArgs.AllAllowed().Select(kv => kv.Key + "=" + kv.Value));
            foreach (var a in meta.Args)
            {
                var key = Expand(metaLex, a.Key, env);
                var value = a.Value is null ? null : Expand(metaLex, a.Value, env);
                buildArgs.AddArg(key, value);
                buildArgs.AddMetaArg(key, value);
            }
        }

        var finalState = await RunNeededStagesAsync(needed, buildArgs, step, total, ct);

        var unused = buildArgs.Unused();
        if (unused.Count > 0) await _progress.WriteAsync($"[Warning] One or more build-args {GoFormat.Slice(unused)} were not consumed\n", ct);
        if (finalState is null || finalState.ImageId.Length == 0) throw new BuildFailedException("No image was generated. Is your Dockerfile empty?");

        var tags = new List<string>();
        foreach (var t in _options.Tags) tags.Add(backend.Tag(finalState.ImageId, t));
        if (_options.Quiet) await _out.WriteAsync(finalState.ImageId + "\n", ct);
        else
        {
            await _out.WriteAsync($"Successfully built {Short(finalState.ImageId)}\n", ct);
            foreach (var t in tags) await _out.WriteAsync($"Successfully tagged {t}\n", ct);
        }
        return new BuildResult(finalState.ImageId, tags);
    }

    private async Task InitializeStageAsync(StageState state, Stage stage, BuildArgs buildArgs, CancellationToken ct)
    {
        var metaEnv = MetaEnv(buildArgs);
        var name = Expand(state.Lex, stage.BaseName, metaEnv);
        if (name.Length == 0) throw new BuildFailedException($"base name ({stage.BaseName}) should not be blank");
        BuildImage image;
        var stageIndex = _doc.IndexOf(name);
        if (stageIndex >= 0 && stageIndex < state.StageIndex && _stageResults.TryGetValue(stageIndex, out var built)) image = await built.Task;
        else if (name == "scratch") image = BuildImage.Scratch;
        else image = await BaseImageAsync(name, state.Out, ct);
        state.Image = image;
        state.ImageConfig = ImageConfig.Parse(image.ConfigJson);
        state.RunConfig = state.ImageConfig.Config is { } c ? ConfigCopy.Clone(c) : new();
        state.RunConfig.Env ??= [];
        if (!state.RunConfig.Env.Any(e => e.StartsWith("PATH=", StringComparison.Ordinal)))
            state.RunConfig.Env.Add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        state.RunConfig.OpenStdin = false;
        state.RunConfig.StdinOnce = false;
        state.RunConfig.Image = image.Id;
        if (state.RunConfig.OnBuild is { Count: > 0 } triggers)
        {
            state.RunConfig.OnBuild = null;
            await state.Out.WriteAsync($"# Executing {triggers.Count} build trigger{(triggers.Count > 1 ? "s" : "")}\n", ct);
            foreach (var trigger in triggers)
            {
                Instruction cmd;
                try
                {
                    var parsed = DockerfileParser.Parse(trigger);
                    if (parsed.Root.Children.Count != 1) throw new BuildFailedException("onbuild trigger should be a single expression");
                    cmd = InstructionParser.ParseInstruction(parsed.Root.Children[0]);
                }
                catch (Exception ex) when (ex is DockerfileParseException or InvalidOperationException) { throw new BuildFailedException(ex.Message, null, ex); }
                await DispatchAsync(state, cmd, ct);
            }
        }
    }

    private static string PullError(string name)
    {
        var registry = name.Split('/')[0] is var first && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            ? first : "registry-1.docker.io";
        return $"pull access denied for {name}: no such image locally, and {registry} cannot be reached from this host (Berth builds from local images only)";
    }

    private static ShellEnv MetaEnv(BuildArgs args) => new(args.AllMeta().Select(kv => kv.Key + "=" + kv.Value));

    private static string Expand(ShellLex lex, string word, ShellEnv env)
    {
        try { return lex.ProcessWord(word, env); }
        catch (ShellSyntaxException ex) { throw new BuildFailedException(ex.Message); }
    }

    private static async Task StepAsync(IBuildOutput output, int step, int total, string code, CancellationToken ct)
    {
        await output.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"Step {step}/{total} : {code}"), ct);
        await output.WriteAsync("\n", ct);
    }

    internal static string Short(string id) => (id.StartsWith("sha256:", StringComparison.Ordinal) ? id[7..] : id) is var hex && hex.Length > 12 ? hex[..12] : id;

    /// <summary>
    /// moby removeDockerfile (remotecontext/detect.go): the client sends .dockerignore and the Dockerfile even when .dockerignore
    /// excludes them; once read, the daemon takes them out of the context, so <c>COPY .</c> neither copies nor hashes them.
    /// </summary>
    private static void RemoveIgnoredBuildFiles(string context, string dockerfile)
    {
        var ignoreFile = RootfsPath.Resolve(context, ".dockerignore");
        if (!File.Exists(ignoreFile)) return;
        var ignore = new DockerIgnore(DockerIgnore.ReadPatterns(File.ReadAllText(ignoreFile)));
        foreach (var name in new[] { ".dockerignore", dockerfile })
        {
            if (!ignore.Matches(name)) continue;
            var path = RootfsPath.Resolve(context, name, followLast: false);
            if (Directory.Exists(path) && new FileInfo(path).LinkTarget is null) Directory.Delete(path, recursive: true);
            else File.Delete(path);
        }
    }

    private static string ReadDockerfile(string context, string name)
    {
        var rel = string.IsNullOrEmpty(name) ? "Dockerfile" : name;
        var path = RootfsPath.Resolve(context, rel);
        if (!File.Exists(path) && string.IsNullOrEmpty(name) is false && rel == "Dockerfile")
        {
            var lower = RootfsPath.Resolve(context, "dockerfile");
            if (File.Exists(lower)) path = lower;
        }
        if (!File.Exists(path)) throw new BuildFailedException($"Cannot locate specified Dockerfile: {rel}");
        return File.ReadAllText(path);
    }

    private static void DeleteBestEffort(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { } // scratch space: a leftover is harmless and cleaned with the data root
        catch (UnauthorizedAccessException) { }
    }

    private sealed class NullOutput : IBuildOutput
    {
        public static NullOutput Instance { get; } = new();
        public Task WriteAsync(string text, CancellationToken ct) => Task.CompletedTask;
        public Task AuxAsync(string imageId, CancellationToken ct) => Task.CompletedTask;
    }
}
