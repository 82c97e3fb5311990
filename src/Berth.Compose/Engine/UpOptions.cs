namespace Berth.Compose.Engine;

/// <summary>What <c>compose up</c> (and <c>create</c>, <c>scale</c>) take from the command line.</summary>
public sealed record UpOptions
{
    /// <summary>Services named on the command line; empty means all.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>--scale SERVICE=N, over scale / deploy.replicas.</summary>
    public IReadOnlyDictionary<string, int> Scale { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>--build: build images even when present.</summary>
    public bool Build { get; init; }

    /// <summary>--no-build: never build, fail when an image to build is missing.</summary>
    public bool NoBuild { get; init; }

    public bool ForceRecreate { get; init; }

    public bool NoRecreate { get; init; }

    /// <summary>--no-deps: leave the named services' dependencies alone.</summary>
    public bool NoDeps { get; init; }

    public bool RemoveOrphans { get; init; }

    /// <summary>false for <c>compose create</c>.</summary>
    public bool Start { get; init; } = true;

    /// <summary>--wait: return only once every service is running (healthy, when it has a health check).</summary>
    public bool Wait { get; init; }

    /// <summary>--wait-timeout; also bounds depends_on waits.</summary>
    public TimeSpan? WaitTimeout { get; init; }

    /// <summary>--pull always|missing|never (overrides pull_policy).</summary>
    public string? Pull { get; init; }
}
