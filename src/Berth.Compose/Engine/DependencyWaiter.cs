using Berth.Api.Models.Containers;
using Berth.Client;

namespace Berth.Compose.Engine;

/// <summary>
/// Waits for a service's <c>depends_on</c> conditions before it starts, polling inspect as docker/compose's
/// <c>waitDependencies</c> does: <c>service_healthy</c> until every replica reports healthy (an unhealthy or exited one
/// fails with "dependency failed to start: container X is unhealthy"), <c>service_completed_successfully</c> until all exited
/// 0. A dependency with <c>required: false</c> that fails only warns.
/// </summary>
public sealed class DependencyWaiter(BerthClient client, ComposeProgress progress, TimeSpan pollInterval, TimeSpan timeout)
{
    public const string Started = "service_started";
    public const string Healthy = "service_healthy";
    public const string CompletedSuccessfully = "service_completed_successfully";

    public async Task WaitAsync(string dependant, string dependency, string condition, bool required, IReadOnlyList<ContainerSummary> containers, CancellationToken ct)
    {
        if (condition == Started || containers.Count == 0) return;
        var names = containers.Select(ProjectQueries.NameOf).ToList();
        foreach (var n in names) progress.Working(ComposeProgress.ContainerResource(n), "Waiting");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var (done, error) = condition == CompletedSuccessfully
                    ? await CheckCompletedAsync(dependency, containers, cts.Token)
                    : await CheckHealthyAsync(containers, cts.Token);
                if (error is not null)
                {
                    if (!required)
                    {
                        progress.Warn($"optional dependency \"{dependency}\" failed to start: {error}");
                        return;
                    }
                    foreach (var n in names) progress.Error(ComposeProgress.ContainerResource(n), "Error");
                    throw new ComposeException(condition == CompletedSuccessfully ? error : $"dependency failed to start: {error}");
                }
                if (done)
                {
                    foreach (var n in names) progress.Done(ComposeProgress.ContainerResource(n), condition == Healthy ? "Healthy" : "Exited");
                    return;
                }
                await Task.Delay(pollInterval, cts.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ComposeException($"timeout waiting for dependencies of {dependant}");
        }
    }

    /// <summary>docker/compose <c>isServiceHealthy</c>: every container healthy; unhealthy or exited is an error.</summary>
    private async Task<(bool Done, string? Error)> CheckHealthyAsync(IReadOnlyList<ContainerSummary> containers, CancellationToken ct)
    {
        foreach (var c in containers)
        {
            var i = await client.InspectContainerAsync(c.Id, ct);
            var name = i.Name.TrimStart('/');
            if (i.State.Status is "exited" or "dead") return (false, $"container {name} exited ({i.State.ExitCode})");
            if (i.State.Health is null) return (false, $"container {name} has no healthcheck configured");
            switch (i.State.Health.Status)
            {
                case "healthy": continue;
                case "unhealthy": return (false, $"container {name} is unhealthy");
                case "starting": return (false, null);
                default: return (false, $"container {name} had unexpected health status \"{i.State.Health.Status}\"");
            }
        }
        return (true, null);
    }

    /// <summary>docker/compose <c>isServiceCompleted</c>: all exited; a non-zero exit fails the dependant.</summary>
    private async Task<(bool Done, string? Error)> CheckCompletedAsync(string dependency, IReadOnlyList<ContainerSummary> containers, CancellationToken ct)
    {
        foreach (var c in containers)
        {
            var i = await client.InspectContainerAsync(c.Id, ct);
            if (i.State.Status is not ("exited" or "dead")) return (false, null);
            if (i.State.ExitCode != 0) return (false, $"service \"{dependency}\" didn't complete successfully: exit {i.State.ExitCode}");
        }
        return (true, null);
    }
}
