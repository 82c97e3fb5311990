using Berth.Compose.Model;

namespace Berth.Compose.Engine;

public sealed partial class ComposeEngine
{
    /// <summary>
    /// <c>compose down</c>: stops and removes the project's containers (dependents first), then its networks; with -v its
    /// named and anonymous volumes; with --rmi its images. Works from labels, so <paramref name="project"/> may be null
    /// (<c>down -p NAME</c> without a file) and objects made by another Compose implementation go too.
    /// </summary>
    public async Task DownAsync(string projectName, ComposeProject? project, DownOptions options, CancellationToken ct)
    {
        var containers = await ContainersAsync(projectName, null, all: true, oneOff: true, ct);
        var known = project?.Services.Keys.Concat(project.DisabledServices.Keys).ToHashSet(StringComparer.Ordinal);
        var orphans = known is null ? new List<Berth.Api.Models.Containers.ContainerSummary>() : containers.Where(c => !known.Contains(ProjectQueries.ServiceOf(c)) && !ProjectQueries.IsOneOff(c.Labels)).ToList();
        if (orphans.Count > 0 && !options.RemoveOrphans)
        {
            containers = [.. containers.Except(orphans)];
            progress.Warn($"Found orphan containers ([{string.Join(' ', orphans.Select(ProjectQueries.NameOf))}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.");
        }
        // As docker/compose's down (InReverseDependencyOrder): a service's containers stop once every service depending on it
        // has stopped; independent services and the replicas of one service stop at the same time. Without a file the
        // graph comes from the containers' depends_on labels; services outside it (orphans) have nothing to wait for.
        var groups = containers.GroupBy(ProjectQueries.ServiceOf).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var graph = project is null ? GraphFromLabels(containers) : Graph(project);
        var inGraph = groups.Keys.Where(k => graph.Services.Contains(k)).ToList();
        Task StopGroupAsync(string service, CancellationToken token)
        {
            var timeout = options.Timeout ?? (project is not null && project.Services.TryGetValue(service, out var s) ? Timeout(s) : null);
            return Task.WhenAll(groups[service].Select(c => StopAndRemoveAsync(c, timeout, options.Volumes, token)));
        }
        await Task.WhenAll(groups.Keys.Except(inGraph).Select(k => StopGroupAsync(k, ct)).Append(graph.InReverseDependencyOrderAsync(inGraph, StopGroupAsync, ct)));
        await RemoveNetworksAsync(projectName, project, ct);
        if (options.Volumes) await RemoveVolumesAsync(projectName, project, ct);
        if (options.RemoveImages is { } rmi) await RemoveImagesAsync(projectName, project, containers.Select(c => c.Image), rmi, ct);
    }

    private async Task RemoveImagesAsync(string projectName, ComposeProject? project, IEnumerable<string> containerImages, string mode, CancellationToken ct)
    {
        if (mode is not ("local" or "all")) throw new ComposeException($"invalid --rmi value \"{mode}\": must be \"local\" or \"all\"");
        var images = new SortedSet<string>(StringComparer.Ordinal);
        if (project is not null)
        {
            foreach (var s in project.Services.Values)
            {
                if (mode == "all" || string.IsNullOrEmpty(s.Image)) images.Add(ContainerRequestBuilder.ImageName(project, s));
            }
        }
        else if (mode == "all")
        {
            foreach (var i in containerImages) images.Add(i);
        }
        else
        {
            foreach (var i in containerImages.Where(i => i.StartsWith(projectName + ComposeNaming.Separator, StringComparison.Ordinal))) images.Add(i);
        }
        foreach (var image in images)
        {
            if (await ImageIdAsync(image, ct) is null) continue;
            var resource = ComposeProgress.ImageResource(image);
            progress.Working(resource, "Removing");
            try
            {
                await client.RemoveImageAsync(image, false, false, ct);
                progress.Done(resource, "Removed");
            }
            catch (Berth.Client.DockerApiException ex)
            {
                progress.Error(resource, "Error");
                progress.Warn(ex.Message);
            }
        }
    }
}
