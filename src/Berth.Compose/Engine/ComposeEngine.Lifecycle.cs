using Berth.Api.Models.Containers;
using Berth.Compose.Model;

namespace Berth.Compose.Engine;

public sealed partial class ComposeEngine
{
    /// <summary><c>compose start</c>: starts existing containers, dependencies first (independent services concurrently), honouring depends_on conditions.</summary>
    public async Task StartAsync(ComposeProject project, IReadOnlyList<string> services, CancellationToken ct)
    {
        CheckServices(project, services);
        var selected = services.Count == 0 ? project.Services.Keys : services;
        foreach (var name in selected)
        {
            if ((await ContainersAsync(project.Name, [name], all: true, oneOff: false, ct)).Count == 0)
                throw new ComposeException($"service \"{name}\" has no container to start");
        }
        await Graph(project).InDependencyOrderAsync(selected,
            (name, token) => StartServiceAsync(project, project.Services[name], new HashSet<string>(), token), ct);
    }

    /// <summary>
    /// <c>compose stop</c>, as docker/compose's (InReverseDependencyOrder): a service stops once the services depending on it
    /// have stopped; independent services, and the replicas of one service, stop concurrently.
    /// </summary>
    public async Task StopAsync(ComposeProject project, IReadOnlyList<string> services, int? timeout, CancellationToken ct)
    {
        var groups = (await InStopOrderAsync(project, services, ct)).GroupBy(p => ProjectQueries.ServiceOf(p.Container))
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        Task StopGroupAsync(string service, CancellationToken token) => Task.WhenAll(groups[service].Select(async p =>
        {
            if (p.Container.State is not ("running" or "restarting" or "paused")) return;
            var resource = ComposeProgress.ContainerResource(ProjectQueries.NameOf(p.Container));
            progress.Working(resource, "Stopping");
            await client.StopContainerAsync(p.Container.Id, timeout ?? (p.Service is null ? null : Timeout(p.Service)), null, token);
            progress.Done(resource, "Stopped");
        }));
        var graph = Graph(project);
        var inGraph = groups.Keys.Where(project.Services.ContainsKey).ToList();
        await Task.WhenAll(groups.Keys.Except(inGraph).Select(k => StopGroupAsync(k, ct)).Append(graph.InReverseDependencyOrderAsync(inGraph, StopGroupAsync, ct)));
    }

    /// <summary><c>compose restart</c>, as docker/compose's: dependencies first (InDependencyOrder), a service's replicas concurrently.</summary>
    public async Task RestartAsync(ComposeProject project, IReadOnlyList<string> services, int? timeout, CancellationToken ct)
    {
        CheckServices(project, services);
        var selected = services.Count == 0 ? project.Services.Keys : services;
        await Graph(project).InDependencyOrderAsync(selected, async (name, token) =>
        {
            var containers = await ContainersAsync(project.Name, [name], all: true, oneOff: false, token);
            await Task.WhenAll(containers.Select(async c =>
            {
                var resource = ComposeProgress.ContainerResource(ProjectQueries.NameOf(c));
                progress.Working(resource, "Restarting");
                await client.RestartContainerAsync(c.Id, timeout ?? Timeout(project.Services[name]), null, token);
                progress.Done(resource, "Started");
            }));
        }, ct);
    }

    public Task KillAsync(ComposeProject project, IReadOnlyList<string> services, string? signal, CancellationToken ct) =>
        ForEachAsync(project, services, c => c.State == "running", "Killing", "Killed", c => client.KillContainerAsync(c.Id, signal, ct), ct);

    public Task PauseAsync(ComposeProject project, IReadOnlyList<string> services, CancellationToken ct) =>
        ForEachAsync(project, services, c => c.State == "running", "Pausing", "Paused", c => client.PauseContainerAsync(c.Id, ct), ct);

    public Task UnpauseAsync(ComposeProject project, IReadOnlyList<string> services, CancellationToken ct) =>
        ForEachAsync(project, services, c => c.State == "paused", "Unpausing", "Unpaused", c => client.UnpauseContainerAsync(c.Id, ct), ct);

    /// <summary><c>compose rm</c>: stopped containers (running ones too with <paramref name="stopFirst"/>).</summary>
    public async Task<int> RemoveAsync(ComposeProject project, IReadOnlyList<string> services, bool stopFirst, bool volumes, CancellationToken ct)
    {
        if (stopFirst) await StopAsync(project, services, null, ct);
        var removed = 0;
        foreach (var (c, _) in await InStopOrderAsync(project, services, ct))
        {
            if (c.State is "running" or "restarting" or "paused") continue;
            var resource = ComposeProgress.ContainerResource(ProjectQueries.NameOf(c));
            progress.Working(resource, "Removing");
            await RemoveContainerAsync(c.Id, volumes, ct);
            progress.Done(resource, "Removed");
            removed++;
        }
        return removed;
    }

    /// <summary><c>compose scale api=3</c>: up with --no-deps semantics for the named services at the given scale.</summary>
    public Task ScaleAsync(ComposeProject project, IReadOnlyDictionary<string, int> scale, bool noDeps, CancellationToken ct) =>
        UpAsync(project, new UpOptions { Services = [.. scale.Keys], Scale = scale, NoDeps = noDeps }, ct);

    /// <summary>kill, pause, unpause: every container at once, as docker/compose's forEachContainerConcurrent.</summary>
    private async Task ForEachAsync(ComposeProject project, IReadOnlyList<string> services, Func<ContainerSummary, bool> applies, string working, string done,
        Func<ContainerSummary, Task> action, CancellationToken ct)
    {
        await Task.WhenAll((await InStopOrderAsync(project, services, ct)).Where(p => applies(p.Container)).Select(async p =>
        {
            var resource = ComposeProgress.ContainerResource(ProjectQueries.NameOf(p.Container));
            progress.Working(resource, working);
            await action(p.Container);
            progress.Done(resource, done);
        }));
    }

    private async Task<List<(ContainerSummary Container, ServiceConfig? Service)>> InStopOrderAsync(ComposeProject project, IReadOnlyList<string> services, CancellationToken ct)
    {
        CheckServices(project, services);
        var order = Graph(project).StopOrder().ToList();
        var containers = await ContainersAsync(project.Name, services, all: true, oneOff: false, ct);
        return [.. containers
            .OrderBy(c => order.IndexOf(ProjectQueries.ServiceOf(c)))
            .ThenBy(ProjectQueries.NumberOf)
            .Select(c => (c, project.Services.GetValueOrDefault(ProjectQueries.ServiceOf(c))))];
    }
}
