using System.Net;
using Berth.Api.Models.Networks;
using Berth.Api.Models.Volumes;
using Berth.Client;
using Berth.Compose.Model;
using ModelIpam = Berth.Api.Models.Networks.Ipam;
using ModelIpamConfig = Berth.Api.Models.Networks.IpamConfig;

namespace Berth.Compose.Engine;

public sealed partial class ComposeEngine
{
    /// <summary>
    /// Creates the project's networks that are missing (external ones must exist), labelled as Compose does. Only
    /// networks some selected service uses are made, like <c>docker compose up</c>.
    /// </summary>
    public async Task EnsureNetworksAsync(ComposeProject project, IEnumerable<ServiceConfig> services, CancellationToken ct)
    {
        var used = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var s in services)
        {
            if (!string.IsNullOrEmpty(s.NetworkMode)) continue;
            if (s.Networks.Count == 0) used.Add("default");
            foreach (var n in s.Networks.Keys) used.Add(n);
        }
        foreach (var key in used)
        {
            var cfg = project.Networks.TryGetValue(key, out var c) ? c : new NetworkConfig { Name = ComposeNaming.NetworkName(project.Name, key) };
            var existing = await client.TryInspectNetworkAsync(cfg.Name, ct);
            if (cfg.External)
            {
                if (existing is null) throw new ComposeException($"network {cfg.Name} declared as external, but could not be found");
                continue;
            }
            if (existing is not null)
            {
                if (existing.Labels.GetValueOrDefault(ComposeLabels.Project) is { } owner && owner != project.Name)
                    progress.Warn($"a network with name {cfg.Name} exists but was not created for project \"{project.Name}\".\nSet `external: true` to use an existing network");
                continue;
            }
            var resource = ComposeProgress.NetworkResource(cfg.Name);
            progress.Working(resource, "Creating");
            await client.CreateNetworkAsync(NetworkRequest(project, key, cfg), ct);
            progress.Done(resource, "Created");
        }
    }

    /// <summary>The create request for a project network, labelled as docker/compose <c>create.go</c> does.</summary>
    public static NetworkCreateRequest NetworkRequest(ComposeProject project, string key, NetworkConfig cfg)
    {
        var labels = new Dictionary<string, string>(cfg.Labels, StringComparer.Ordinal)
        {
            [ComposeLabels.Network] = key,
            [ComposeLabels.Project] = project.Name,
            [ComposeLabels.Version] = ComposeLabels.ComposeVersion,
        };
        return new NetworkCreateRequest
        {
            Name = cfg.Name,
            Driver = cfg.Driver ?? "bridge",
            Internal = cfg.Internal,
            Attachable = cfg.Attachable,
            EnableIPv6 = cfg.EnableIpv6,
            CheckDuplicate = true,
            Options = cfg.DriverOpts.Count == 0 ? null : new Dictionary<string, string>(cfg.DriverOpts),
            Labels = labels,
            IPAM = cfg.Ipam is { } ipam ? new ModelIpam
            {
                Driver = ipam.Driver ?? "default",
                Options = ipam.Options.Count == 0 ? null : new Dictionary<string, string>(ipam.Options),
                Config = [.. ipam.Config.Select(p => new ModelIpamConfig
                {
                    Subnet = p.Subnet, Gateway = p.Gateway, IPRange = p.IpRange,
                    AuxiliaryAddresses = p.AuxAddresses.Count == 0 ? null : new Dictionary<string, string>(p.AuxAddresses),
                })],
            } : null,
        };
    }

    /// <summary>Creates the project's named volumes that are missing; external ones must exist.</summary>
    public async Task EnsureVolumesAsync(ComposeProject project, CancellationToken ct)
    {
        foreach (var (key, cfg) in project.Volumes)
        {
            var exists = await VolumeExistsAsync(cfg.Name, ct);
            if (cfg.External)
            {
                if (!exists) throw new ComposeException($"external volume \"{cfg.Name}\" not found");
                continue;
            }
            if (exists) continue;
            var resource = ComposeProgress.VolumeResource(cfg.Name);
            progress.Working(resource, "Creating");
            await client.CreateVolumeAsync(VolumeRequest(project, key, cfg), ct);
            progress.Done(resource, "Created");
        }
    }

    public static VolumeCreateRequest VolumeRequest(ComposeProject project, string key, VolumeConfig cfg) => new()
    {
        Name = cfg.Name,
        Driver = cfg.Driver ?? "local",
        DriverOpts = cfg.DriverOpts.Count == 0 ? null : new Dictionary<string, string>(cfg.DriverOpts),
        Labels = new Dictionary<string, string>(cfg.Labels, StringComparer.Ordinal)
        {
            [ComposeLabels.Volume] = key,
            [ComposeLabels.Project] = project.Name,
            [ComposeLabels.Version] = ComposeLabels.ComposeVersion,
        },
    };

    private async Task<bool> VolumeExistsAsync(string name, CancellationToken ct)
    {
        try
        {
            await client.InspectVolumeAsync(name, ct);
            return true;
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Removes the project's networks (by label, so ones made by another Compose count), skipping external ones.</summary>
    private async Task RemoveNetworksAsync(string projectName, ComposeProject? project, CancellationToken ct)
    {
        var networks = await client.ListNetworksAsync(ProjectQueries.LabelFilter($"{ComposeLabels.Project}={projectName}"), ct);
        var names = networks.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        // Networks named in the file but created without labels (by docker-compose 1.x, say) go too, unless external.
        foreach (var n in project?.Networks.Values.Where(n => !n.External) ?? [])
        {
            if (!names.Contains(n.Name) && await client.TryInspectNetworkAsync(n.Name, ct) is { } found
                && found.Labels.GetValueOrDefault(ComposeLabels.Project) == projectName) names.Add(n.Name);
        }
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            var resource = ComposeProgress.NetworkResource(name);
            progress.Working(resource, "Removing");
            try
            {
                await client.RemoveNetworkAsync(name, ct);
                progress.Done(resource, "Removed");
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                progress.Done(resource, "Removed");
            }
            catch (DockerApiException ex)
            {
                // Still in use by a container outside the project: Compose warns and carries on.
                progress.Error(resource, "Resource is still in use");
                progress.Warn(ex.Message);
            }
        }
    }

    private async Task RemoveVolumesAsync(string projectName, ComposeProject? project, CancellationToken ct)
    {
        var list = await client.ListVolumesAsync(ProjectQueries.LabelFilter($"{ComposeLabels.Project}={projectName}"), ct);
        var names = list.Volumes.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var v in project?.Volumes.Values.Where(v => !v.External) ?? []) names.Remove(v.Name);
        foreach (var v in project?.Volumes.Values.Where(v => !v.External) ?? [])
        {
            if (await VolumeExistsAsync(v.Name, ct)) names.Add(v.Name);
        }
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            var resource = ComposeProgress.VolumeResource(name);
            progress.Working(resource, "Removing");
            try
            {
                await client.RemoveVolumeAsync(name, false, ct);
                progress.Done(resource, "Removed");
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                progress.Done(resource, "Removed");
            }
            catch (DockerApiException ex)
            {
                progress.Error(resource, "Resource is still in use");
                progress.Warn(ex.Message);
            }
        }
    }
}
