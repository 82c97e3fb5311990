using Berth.Api.Models.Containers;
using Berth.Compose.Model;

namespace Berth.Compose.Engine;

public sealed partial class ComposeEngine
{
    /// <summary>
    /// <c>compose up</c>/<c>create</c>: networks and volumes, images, then per service in dependency order the
    /// convergence docker/compose does: keep containers whose config hash is unchanged, recreate the others (or all with
    /// --force-recreate), add or remove replicas to reach the scale; then start them, each service once its
    /// <c>depends_on</c> conditions hold. Services whose dependencies are done converge and start concurrently.
    /// </summary>
    public async Task UpAsync(ComposeProject project, UpOptions options, CancellationToken ct)
    {
        CheckServices(project, options.Services);
        var graph = Graph(project);
        var targets = options.Services.Count == 0
            ? project.Services.Keys.ToHashSet(StringComparer.Ordinal)
            : options.NoDeps ? options.Services.ToHashSet(StringComparer.Ordinal) : graph.WithDependencies(options.Services).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, _) in options.Scale)
        {
            if (!project.Services.ContainsKey(name)) throw new ComposeException($"no such service: {name}");
        }
        var order = graph.StartOrder().Where(targets.Contains).ToList();
        var services = order.Select(n => project.Services[n]).ToList();

        await HandleOrphansAsync(project, options.RemoveOrphans, ct);
        await EnsureNetworksAsync(project, services, ct);
        await EnsureVolumesAsync(project, ct);
        var images = await EnsureImagesAsync(project, services, options.Build, options.NoBuild, options.Pull, ct);

        // As docker/compose: create every service, then start every service, each phase walking the graph so a service
        // waits only for its own dependencies and independent ones go concurrently.
        var recreated = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        await graph.InDependencyOrderAsync(order, async (name, token) =>
        {
            var s = project.Services[name];
            var scale = options.Scale.TryGetValue(name, out var n) ? n : s.EffectiveScale;
            if (await ConvergeServiceAsync(project, s, scale, images[name], options, token)) recreated[name] = true;
        }, ct);
        if (!options.Start) return;
        var recreatedSet = recreated.Keys.ToHashSet(StringComparer.Ordinal);
        await graph.InDependencyOrderAsync(order, (name, token) => StartServiceAsync(project, project.Services[name], recreatedSet, token), ct);
        if (options.Wait) await WaitForServicesAsync(project, services, options.WaitTimeout ?? DependencyTimeout, ct);
    }

    /// <summary>Makes the service's containers match its config and scale; true when any container was (re)created.</summary>
    private async Task<bool> ConvergeServiceAsync(ComposeProject project, ServiceConfig service, int scale, string imageId, UpOptions options, CancellationToken ct)
    {
        if (scale > 1 && !string.IsNullOrEmpty(service.ContainerName))
            throw new ComposeException($"services.{service.Name}: can't set container_name and {service.Name} as container name must be unique");
        var hash = ConfigHash(await WithResolvedReferencesAsync(project, service, ct));
        var existing = await ContainersAsync(project.Name, [service.Name], all: true, oneOff: false, ct);
        var changed = false;

        // Scale down: highest numbers go first, as Compose does.
        foreach (var extra in existing.OrderByDescending(ProjectQueries.NumberOf).Take(Math.Max(0, existing.Count - scale)).ToList())
        {
            await StopAndRemoveAsync(extra, Timeout(service), false, ct);
            existing.Remove(extra);
        }

        foreach (var c in existing)
        {
            var name = ProjectQueries.NameOf(c);
            var stale = c.Labels.GetValueOrDefault(ComposeLabels.ConfigHash) != hash || (c.ImageID != imageId && !string.IsNullOrEmpty(c.ImageID));
            if (options.NoRecreate || (!stale && !options.ForceRecreate)) continue;
            var resource = ComposeProgress.ContainerResource(name);
            progress.Working(resource, "Recreate");
            var number = ProjectQueries.NumberOf(c);
            if (c.State is "running" or "restarting" or "paused")
            {
                if (c.State == "paused") await client.UnpauseContainerAsync(c.Id, ct);
                await client.StopContainerAsync(c.Id, Timeout(service), null, ct);
            }
            await RemoveContainerAsync(c.Id, false, ct);
            await CreateContainerAsync(project, service, new ContainerIdentity(name, number, hash, imageId, Replaces: c.Id), ct);
            progress.Done(resource, "Recreated");
            changed = true;
        }

        var next = ProjectQueries.NextNumber(existing);
        for (var i = existing.Count; i < scale; i++)
        {
            var number = next++;
            var name = ComposeNaming.ContainerName(project.Name, service.Name, number, service.ContainerName);
            var resource = ComposeProgress.ContainerResource(name);
            progress.Working(resource, "Creating");
            await CreateContainerAsync(project, service, new ContainerIdentity(name, number, hash, imageId), ct);
            progress.Done(resource, "Created");
            changed = true;
        }
        return changed;
    }

    /// <summary>
    /// The service as Docker Compose hashes it at create time (docker/compose <c>resolveServiceReferences</c>):
    /// <c>network_mode: service:x</c> names x's container (<c>container:&lt;id&gt;</c>), so a recreated x recreates the service too.
    /// </summary>
    private async Task<ServiceConfig> WithResolvedReferencesAsync(ComposeProject project, ServiceConfig service, CancellationToken ct)
    {
        if (service.NetworkMode is not { } mode || !mode.StartsWith("service:", StringComparison.Ordinal)) return service;
        var target = (await ContainersAsync(project.Name, [mode["service:".Length..]], all: true, oneOff: false, ct)).FirstOrDefault();
        return target is null ? service : service with { NetworkMode = "container:" + target.Id };
    }

    /// <summary>Creates one container of a service (its networks attached through the create request's endpoints).</summary>
    public async Task<string> CreateContainerAsync(ComposeProject project, ServiceConfig service, ContainerIdentity id, CancellationToken ct,
        Action<ContainerCreateRequest>? adjust = null)
    {
        var firstOf = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (service.NetworkMode is { } mode && mode.StartsWith("service:", StringComparison.Ordinal))
        {
            var target = mode["service:".Length..];
            var containers = await ContainersAsync(project.Name, [target], all: true, oneOff: false, ct);
            firstOf[target] = containers.FirstOrDefault()?.Id;
        }
        var request = ContainerRequestBuilder.Build(project, service, id, s => firstOf.GetValueOrDefault(s));
        foreach (var warning in InjectedFiles.IgnoredOptionWarnings(project, service)) progress.Warn(warning);
        adjust?.Invoke(request);
        var created = await client.CreateContainerAsync(request, id.Name, service.Platform, ct);
        return created.Id;
    }

    /// <summary>Starts a service's stopped containers once its dependencies are ready; restarts running ones whose
    /// dependency with <c>restart: true</c> was recreated.</summary>
    private async Task StartServiceAsync(ComposeProject project, ServiceConfig service, IReadOnlySet<string> recreated, CancellationToken ct)
    {
        var waiter = new DependencyWaiter(client, progress, PollInterval, DependencyTimeout);
        foreach (var (dep, cfg) in service.DependsOn)
        {
            if (!project.Services.TryGetValue(dep, out var depService))
            {
                if (!cfg.Required) continue;
                if (project.DisabledServices.ContainsKey(dep)) continue;
                throw new ComposeException($"service \"{service.Name}\" depends on undefined service \"{dep}\": invalid compose project");
            }
            if (depService.EffectiveScale == 0) continue;
            var depContainers = await ContainersAsync(project.Name, [dep], all: true, oneOff: false, ct);
            await waiter.WaitAsync(service.Name, dep, cfg.Condition, cfg.Required, depContainers, ct);
        }
        var restartForDeps = service.DependsOn.Any(d => d.Value.Restart && recreated.Contains(d.Key)) && !recreated.Contains(service.Name);
        foreach (var c in await ContainersAsync(project.Name, [service.Name], all: true, oneOff: false, ct))
        {
            var resource = ComposeProgress.ContainerResource(ProjectQueries.NameOf(c));
            if (c.State == "running")
            {
                if (restartForDeps)
                {
                    progress.Working(resource, "Restarting");
                    await client.RestartContainerAsync(c.Id, Timeout(service), null, ct);
                    progress.Done(resource, "Started");
                }
                else progress.Done(resource, "Running");
                continue;
            }
            progress.Working(resource, "Starting");
            await InjectFilesAsync(project, service, c.Id, ct);
            await client.StartContainerAsync(c.Id, ct);
            progress.Done(resource, "Started");
        }
    }

    /// <summary><c>up --wait</c>: every container running, and healthy when it has a health check.</summary>
    private async Task WaitForServicesAsync(ComposeProject project, IEnumerable<ServiceConfig> services, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            foreach (var s in services)
            {
                foreach (var c in await ContainersAsync(project.Name, [s.Name], all: true, oneOff: false, cts.Token))
                {
                    var resource = ComposeProgress.ContainerResource(ProjectQueries.NameOf(c));
                    progress.Working(resource, "Waiting");
                    while (true)
                    {
                        var i = await client.InspectContainerAsync(c.Id, cts.Token);
                        if (i.State.Status is "exited" or "dead")
                        {
                            // A one-shot service that finished cleanly satisfies --wait; anything else fails it.
                            if (i.State.ExitCode == 0) break;
                            throw new ComposeException($"container {i.Name.TrimStart('/')} exited ({i.State.ExitCode})");
                        }
                        if (i.State.Health is { Status: "unhealthy" }) throw new ComposeException($"container {i.Name.TrimStart('/')} is unhealthy");
                        if (i.State.Running && (i.State.Health is null || i.State.Health.Status == "healthy")) break;
                        await Task.Delay(PollInterval, cts.Token);
                    }
                    progress.Done(resource, c.Labels.ContainsKey(ComposeLabels.ConfigHash) && s.Healthcheck is { Disable: false } ? "Healthy" : "Running");
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ComposeException("timeout waiting for services to be running or healthy");
        }
    }

    /// <summary>Warns about (or with --remove-orphans removes) containers of services no longer in the file.</summary>
    private async Task HandleOrphansAsync(ComposeProject project, bool remove, CancellationToken ct)
    {
        var orphans = (await ContainersAsync(project.Name, null, all: true, oneOff: false, ct))
            .Where(c => !project.Services.ContainsKey(ProjectQueries.ServiceOf(c)) && !project.DisabledServices.ContainsKey(ProjectQueries.ServiceOf(c)))
            .ToList();
        if (orphans.Count == 0) return;
        if (!remove)
        {
            progress.Warn($"Found orphan containers ([{string.Join(' ', orphans.Select(ProjectQueries.NameOf))}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.");
            return;
        }
        foreach (var o in orphans) await StopAndRemoveAsync(o, null, false, ct);
    }

    private static int? Timeout(ServiceConfig service) => service.StopGracePeriod is { } g ? (int)Math.Ceiling(g.TotalSeconds) : null;
}
