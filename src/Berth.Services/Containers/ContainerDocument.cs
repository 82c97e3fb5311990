using Berth.Api.Models.Containers;

namespace Berth.Services.Containers;

/// <summary>
/// Everything the daemon persists about a container, as one JSON document in the metadata store. The runtime state
/// (pid, exit code…) is kept beside the configuration so a restarted daemon can answer inspect before it has asked crun.
/// </summary>
public sealed class ContainerDocument
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string ImageId { get; set; } = "";
    public string ImageName { get; set; } = "";
    public string Created { get; set; } = "";
    public string Path { get; set; } = "";
    public List<string> Args { get; set; } = [];
    public ContainerConfig Config { get; set; } = new();
    public HostConfig HostConfig { get; set; } = new();
    public NetworkingConfig? NetworkingConfig { get; set; }

    /// <summary>Volumes, binds and tmpfs mounts resolved at create (null for containers created before mounts were resolved).</summary>
    public List<ContainerMount>? MountPoints { get; set; }
    public string? TopChainId { get; set; }
    public string RootfsDir { get; set; } = "";
    public string UpperDir { get; set; } = "";
    public string WorkDir { get; set; } = "";
    public string LogPath { get; set; } = "";
    public string HostsPath { get; set; } = "";
    public string HostnamePath { get; set; } = "";
    public string ResolvConfPath { get; set; } = "";
    public int RestartCount { get; set; }

    /// <summary>Stopped or killed by a user since its last manual start (moby HasBeenManuallyStopped): unless-stopped stays down.</summary>
    public bool ManuallyStopped { get; set; }
    public ContainerState State { get; set; } = new();

    /// <summary>Host ports bound for this run (<c>NetworkSettings.Ports</c>); null while not running.</summary>
    public Dictionary<string, List<PortBinding>?>? PublishedPorts { get; set; }

    /// <summary>Set while the runtime holds the container (created in crun, running, paused); false once cleaned up.</summary>
    public bool RuntimeActive { get; set; }
}
