using System.Text;

namespace Berth.Compose.Loader;

/// <summary>Project name rules of docker compose: -p &gt; COMPOSE_PROJECT_NAME &gt; top-level name &gt; directory name.
/// Imperative names must already be valid; names from the file or directory are normalized.</summary>
internal static class ProjectNames
{
    public static string Normalize(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s.ToLowerInvariant())
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-') sb.Append(c);
        return sb.ToString().TrimStart('_', '-');
    }

    public static string Resolve(string? imperative, IReadOnlyDictionary<string, string> env, string? fromFile, string projectDir)
    {
        var name = imperative;
        if (string.IsNullOrEmpty(name) && env.TryGetValue("COMPOSE_PROJECT_NAME", out var fromEnv) && fromEnv.Length > 0) name = fromEnv;
        if (!string.IsNullOrEmpty(name))
        {
            if (Normalize(name) != name) throw InvalidName(name);
            return name;
        }
        name = Normalize(fromFile ?? "");
        if (name.Length == 0) name = Normalize(Path.GetFileName(Path.TrimEndingDirectorySeparator(projectDir)));
        if (name.Length == 0) throw new ComposeException("project name must not be empty");
        return name;
    }

    public static ComposeException InvalidName(string name) => new(
        $"invalid project name \"{name}\": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number");
}
