namespace Berth.Compose.Loader;

/// <summary>Finds Compose files the way docker compose does when no -f is given: the first of the default names in the
/// working directory or the nearest parent, plus the first override file found next to it.</summary>
internal static class FileDiscovery
{
    public static readonly string[] DefaultFileNames = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];
    public static readonly string[] OverrideFileNames = ["compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml"];

    public static List<string> Discover(string workingDirectory)
    {
        var dir = Path.GetFullPath(workingDirectory);
        while (true)
        {
            var main = DefaultFileNames.Select(n => Path.Join(dir, n)).FirstOrDefault(File.Exists);
            if (main is not null)
            {
                var result = new List<string> { main };
                var over = OverrideFileNames.Select(n => Path.Join(dir, n)).FirstOrDefault(File.Exists);
                if (over is not null) result.Add(over);
                return result;
            }
            var parent = Path.GetDirectoryName(dir);
            if (parent is null || parent == dir) return [];
            dir = parent;
        }
    }
}
