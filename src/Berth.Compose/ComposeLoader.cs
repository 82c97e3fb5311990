using Berth.Compose.Loader;
using Berth.Compose.Model;

namespace Berth.Compose;

/// <summary>Loads a Compose project the way docker compose v2 does: discovery, merge, include, extends, interpolation, profiles, validation.</summary>
public static class ComposeLoader
{
    /// <summary>The <c>-f</c> value that means "read the Compose file from standard input".</summary>
    public const string StdinFile = "-";

    /// <summary>Loads from files on disk. Throws <see cref="ComposeException"/> for an invalid project.</summary>
    public static async Task<ComposeProject> LoadAsync(ComposeLoadOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cwd = Path.GetFullPath(options.WorkingDirectory ?? Directory.GetCurrentDirectory());
        // "-" is the file read from stdin, kept as "-" (its name in errors and in the config_files label, as compose-go).
        var files = options.ConfigFiles.Select(f => f == StdinFile ? f : Path.GetFullPath(f, cwd)).ToList();
        if (files.Count == 0) files = FromComposeFileVariable(options, cwd);
        if (files.Count == 0) files = FileDiscovery.Discover(options.ProjectDirectory is { } pd ? Path.GetFullPath(pd, cwd) : cwd);
        if (files.Count == 0) throw new ComposeException("no configuration file provided: not found");

        // The project directory is the first real file's, or the working directory when every file is stdin.
        var projectDir = options.ProjectDirectory is { } dir ? Path.GetFullPath(dir, cwd)
            : files.FirstOrDefault(f => f != StdinFile) is { } first ? Path.GetDirectoryName(first)! : cwd;
        var env = ProjectEnvironment.Build(projectDir, options.EnvFiles, options.Environment, cwd);
        var texts = new List<(string, string)>(files.Count);
        string? stdin = null;
        foreach (var f in files)
        {
            if (f == StdinFile)
            {
                stdin ??= await (options.Stdin ?? Console.In).ReadToEndAsync(ct);
                texts.Add((f, stdin));
                continue;
            }
            if (!File.Exists(f)) throw new ComposeException($"open {f}: no such file or directory");
            texts.Add((f, await File.ReadAllTextAsync(f, ct)));
        }
        return new ProjectLoader(options, projectDir, env).Load(texts);
    }

    /// <summary>Loads one document given as text (tests, fuzzing). <paramref name="fileName"/> names the file in errors;
    /// relative paths resolve against <see cref="ComposeLoadOptions.ProjectDirectory"/> (else the working directory).</summary>
    public static ComposeProject LoadFromText(string yaml, ComposeLoadOptions options, string fileName = "compose.yaml")
    {
        ArgumentNullException.ThrowIfNull(options);
        var cwd = Path.GetFullPath(options.WorkingDirectory ?? Directory.GetCurrentDirectory());
        var projectDir = options.ProjectDirectory is { } dir ? Path.GetFullPath(dir, cwd) : cwd;
        var env = ProjectEnvironment.Build(projectDir, options.EnvFiles, options.Environment, cwd);
        return new ProjectLoader(options, projectDir, env).Load([(Path.Join(projectDir, fileName), yaml)]);
    }

    private static List<string> FromComposeFileVariable(ComposeLoadOptions options, string cwd)
    {
        var env = options.Environment;
        if (!env.TryGetValue("COMPOSE_FILE", out var value) || value.Length == 0)
        {
            // COMPOSE_FILE may also come from the .env file of the working (or given project) directory.
            var dotenv = Path.Join(options.ProjectDirectory is { } pd ? Path.GetFullPath(pd, cwd) : cwd, ".env");
            if (options.EnvFiles.Count > 0 || !File.Exists(dotenv)) return [];
            value = DotEnvParser.Parse(File.ReadAllText(dotenv), dotenv, null).LastOrDefault(kv => kv.Key == "COMPOSE_FILE").Value;
            if (string.IsNullOrEmpty(value)) return [];
        }
        var separator = env.TryGetValue("COMPOSE_PATH_SEPARATOR", out var sep) && sep.Length > 0 ? sep : ":";
        return value.Split(separator, StringSplitOptions.RemoveEmptyEntries).Select(f => Path.GetFullPath(f, cwd)).ToList();
    }
}
