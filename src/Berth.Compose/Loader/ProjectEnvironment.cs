namespace Berth.Compose.Loader;

/// <summary>The variables used for interpolation: --env-file files (or PROJECT_DIR/.env) in order, then the process
/// environment on top, since docker compose lets the shell override .env.</summary>
internal static class ProjectEnvironment
{
    public static Dictionary<string, string> Build(string projectDir, IReadOnlyList<string> envFiles, IReadOnlyDictionary<string, string> process, string cwd)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = envFiles.Count > 0
            ? envFiles.Select(f => Path.GetFullPath(f, cwd)).ToList()
            : [Path.Join(projectDir, ".env")];
        var explicitFiles = envFiles.Count > 0;
        foreach (var file in files)
        {
            if (Directory.Exists(file))
            {
                if (explicitFiles) throw new ComposeException($"{file} is a directory");
                continue;
            }
            if (!File.Exists(file))
            {
                if (explicitFiles) throw new ComposeException($"couldn't find env file: {file}");
                continue;
            }
            bool Lookup(string name, out string value)
            {
                if (process.TryGetValue(name, out value!)) return true;
                return result.TryGetValue(name, out value!);
            }
            foreach (var (k, v) in DotEnvParser.Parse(File.ReadAllText(file), file, Lookup)) result[k] = v;
        }
        foreach (var (k, v) in process) result[k] = v;
        return result;
    }
}
