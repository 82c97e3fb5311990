namespace Berth.Compose;

/// <summary>What `docker compose` takes from its command line and environment to load a project.</summary>
public sealed record ComposeLoadOptions
{
    /// <summary>-f files in order; empty means COMPOSE_FILE, else discovery (compose.yaml … in WorkingDirectory and its parents).
    /// "-" reads <see cref="Stdin"/>; with no other file the project directory is then <see cref="WorkingDirectory"/>.</summary>
    public IReadOnlyList<string> ConfigFiles { get; init; } = [];

    /// <summary>What <c>-f -</c> reads; defaults to the process's standard input.</summary>
    public TextReader? Stdin { get; init; }

    /// <summary>-p; wins over COMPOSE_PROJECT_NAME and the top-level name.</summary>
    public string? ProjectName { get; init; }

    /// <summary>--project-directory; defaults to the directory of the first Compose file.</summary>
    public string? ProjectDirectory { get; init; }

    /// <summary>--env-file (several); empty means PROJECT_DIR/.env when it exists.</summary>
    public IReadOnlyList<string> EnvFiles { get; init; } = [];

    /// <summary>--profile (several); empty means COMPOSE_PROFILES.</summary>
    public IReadOnlyList<string> Profiles { get; init; } = [];

    /// <summary>Services named on the command line: enabled (with their dependencies) even if their profiles are not.</summary>
    public IReadOnlyList<string> EnabledServices { get; init; } = [];

    /// <summary>The process environment (injected so tests do not depend on the real one).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Where relative -f paths and discovery start; defaults to the current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Home directory for "~" expansion; defaults to HOME from <see cref="Environment"/>.</summary>
    public string? HomeDirectory { get; init; }

    /// <summary>false = `docker compose config --no-interpolate`.</summary>
    public bool Interpolate { get; init; } = true;

    /// <summary>Builds options from the real process environment.</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in System.Environment.GetEnvironmentVariables())
            env[(string)e.Key] = (string?)e.Value ?? "";
        return env;
    }
}
