namespace Berth.Compose.Model;

/// <summary>
/// A loaded, merged, interpolated and normalized Compose project. Every collection is in the long form; paths are absolute.
/// <see cref="Services"/> holds only the services active for the selected profiles; the others are kept in
/// <see cref="DisabledServices"/> so <see cref="WithServicesEnabled"/> can turn them on when named on the command line.
/// </summary>
public sealed record ComposeProject
{
    /// <summary>Normalized project name (lowercase, [a-z0-9_-]).</summary>
    public required string Name { get; init; }

    /// <summary>Absolute project directory: relative paths in the model were resolved against it.</summary>
    public required string WorkingDir { get; init; }

    /// <summary>Absolute paths of the Compose files that were merged, in merge order (includes are not listed).</summary>
    public IReadOnlyList<string> ConfigFiles { get; init; } = [];

    /// <summary>Active services, sorted by name (ordinal).</summary>
    public IReadOnlyDictionary<string, ServiceConfig> Services { get; init; } = new SortedDictionary<string, ServiceConfig>(StringComparer.Ordinal);

    /// <summary>Services declared but inactive because none of their profiles is enabled.</summary>
    public IReadOnlyDictionary<string, ServiceConfig> DisabledServices { get; init; } = new SortedDictionary<string, ServiceConfig>(StringComparer.Ordinal);

    /// <summary>Top-level networks, including the implicit <c>default</c> network when a service uses it.</summary>
    public IReadOnlyDictionary<string, NetworkConfig> Networks { get; init; } = new SortedDictionary<string, NetworkConfig>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, VolumeConfig> Volumes { get; init; } = new SortedDictionary<string, VolumeConfig>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, FileObjectConfig> Configs { get; init; } = new SortedDictionary<string, FileObjectConfig>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, FileObjectConfig> Secrets { get; init; } = new SortedDictionary<string, FileObjectConfig>(StringComparer.Ordinal);

    /// <summary>Profiles that were enabled (--profile / COMPOSE_PROFILES).</summary>
    public IReadOnlyList<string> Profiles { get; init; } = [];

    /// <summary>The variables used for interpolation: .env / --env-file values overridden by the process environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Non-fatal notes, e.g. known Compose keys Berth does not implement yet.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// Returns the project with the named services (and, recursively, the services they depend on) made active even
    /// when their profiles are not enabled, as docker compose does for `docker compose up SERVICE`.
    /// </summary>
    public ComposeProject WithServicesEnabled(IEnumerable<string> serviceNames)
    {
        var active = new SortedDictionary<string, ServiceConfig>(Services.ToDictionary(), StringComparer.Ordinal);
        var disabled = new SortedDictionary<string, ServiceConfig>(DisabledServices.ToDictionary(), StringComparer.Ordinal);
        var queue = new Queue<string>(serviceNames);
        while (queue.Count > 0)
        {
            var name = queue.Dequeue();
            if (active.ContainsKey(name)) continue;
            if (!disabled.Remove(name, out var service)) throw new ComposeException($"no such service: {name}");
            active[name] = service;
            foreach (var dep in service.DependsOn.Keys) queue.Enqueue(dep);
        }
        return this with { Services = active, DisabledServices = disabled };
    }
}
