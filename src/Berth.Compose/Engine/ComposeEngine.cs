using System.Net;
using Berth.Api.Models.Containers;
using Berth.Client;
using Berth.Compose.Model;

namespace Berth.Compose.Engine;

/// <summary>
/// Runs Compose projects against any Engine API daemon through <see cref="BerthClient"/>, creating and labelling objects as
/// Docker Compose v2 does so each tool manages the other's projects. One instance per command; not thread-safe itself,
/// though it converges independent services concurrently.
/// </summary>
public sealed partial class ComposeEngine(BerthClient client, ComposeProgress progress, IBuildContextWriter? contextWriter = null)
{
    /// <summary>How often health and exit states are polled while waiting on <c>depends_on</c> or <c>--wait</c>.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Bound on a <c>depends_on</c> wait, so a health check that never settles cannot hang <c>up</c>.</summary>
    public TimeSpan DependencyTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The config hash for a service (the <c>com.docker.compose.config-hash</c> label).</summary>
    public Func<ServiceConfig, string> ConfigHash { get; init; } = DefaultConfigHash;

    public BerthClient Client => client;

    public ComposeProgress Progress => progress;

    /// <summary>The project's service containers (one-off ones only when asked), optionally for some services only.</summary>
    public async Task<List<ContainerSummary>> ContainersAsync(string project, IEnumerable<string>? services, bool all, bool oneOff, CancellationToken ct)
    {
        var list = await ProjectQueries.ContainersAsync(client, project, all, oneOff, ct);
        if (services is null) return list;
        var set = services.ToHashSet(StringComparer.Ordinal);
        return set.Count == 0 ? list : [.. list.Where(c => set.Contains(ProjectQueries.ServiceOf(c)))];
    }

    /// <summary>Checks every named service exists, with Compose's "no such service" error.</summary>
    public static void CheckServices(ComposeProject project, IEnumerable<string> services)
    {
        foreach (var s in services)
        {
            if (!project.Services.ContainsKey(s) && !project.DisabledServices.ContainsKey(s)) throw new ComposeException($"no such service: {s}");
        }
    }

    /// <summary>The dependency graph of the active services: depends_on plus <c>network_mode: service:x</c>.</summary>
    public static DependencyGraph Graph(ComposeProject project) =>
        new(project.Services.Select(s => new KeyValuePair<string, IEnumerable<string>>(s.Key, DependenciesOf(s.Value))));

    /// <summary>The graph as the containers' <c>com.docker.compose.depends_on</c> labels (<c>dep:condition:restart,…</c>) record it,
    /// for commands run without a Compose file (docker/compose rebuilds the project from labels the same way).</summary>
    public static DependencyGraph GraphFromLabels(IEnumerable<ContainerSummary> containers) =>
        new(containers.GroupBy(ProjectQueries.ServiceOf, StringComparer.Ordinal).Select(g => new KeyValuePair<string, IEnumerable<string>>(g.Key,
            g.SelectMany(c => c.Labels.GetValueOrDefault(ComposeLabels.DependsOn, "").Split(',', StringSplitOptions.RemoveEmptyEntries))
             .Select(d => d.Split(':')[0]).Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).ToList())));

    private static IEnumerable<string> DependenciesOf(ServiceConfig s)
    {
        foreach (var d in s.DependsOn.Keys) yield return d;
        if (s.NetworkMode is { } m && m.StartsWith("service:", StringComparison.Ordinal)) yield return m["service:".Length..];
    }

    /// <summary>The image's id, or null when the daemon does not have it.</summary>
    public async Task<string?> ImageIdAsync(string image, CancellationToken ct)
    {
        try
        {
            var node = await client.GetNodeAsync($"/images/{image}/json", ct);
            return node?["Id"]?.GetValue<string>();
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Removes a container, treating "already gone" as done (another tool may have removed it).</summary>
    private async Task RemoveContainerAsync(string id, bool volumes, CancellationToken ct)
    {
        try
        {
            await client.RemoveContainerAsync(id, true, volumes, ct);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // Gone already: what we wanted.
        }
    }

    private async Task StopAndRemoveAsync(ContainerSummary c, int? timeout, bool volumes, CancellationToken ct)
    {
        var name = ComposeProgress.ContainerResource(ProjectQueries.NameOf(c));
        if (c.State is "running" or "restarting" or "paused")
        {
            progress.Working(name, "Stopping");
            if (c.State == "paused") await client.UnpauseContainerAsync(c.Id, ct);
            await client.StopContainerAsync(c.Id, timeout, null, ct);
            progress.Done(name, "Stopped");
        }
        progress.Working(name, "Removing");
        await RemoveContainerAsync(c.Id, volumes, ct);
        progress.Done(name, "Removed");
    }

    private static string DefaultConfigHash(ServiceConfig service) => ServiceHashing.ConfigHash(service);
}
