using System.Text.Json.Serialization;

namespace Berth.Api.Models.Containers;

/// <summary>Body of <c>POST /containers/create</c>: a ContainerConfig with HostConfig and NetworkingConfig beside it.</summary>
public sealed class ContainerCreateRequest : ContainerConfig
{
    public HostConfig? HostConfig { get; set; }
    public NetworkingConfig? NetworkingConfig { get; set; }

    /// <summary>The config part alone, as stored and reported by inspect.</summary>
    public ContainerConfig ToConfig() => new()
    {
        Hostname = Hostname, Domainname = Domainname, User = User, AttachStdin = AttachStdin, AttachStdout = AttachStdout,
        AttachStderr = AttachStderr, ExposedPorts = ExposedPorts, Tty = Tty, OpenStdin = OpenStdin, StdinOnce = StdinOnce,
        Env = Env, Cmd = Cmd, Healthcheck = Healthcheck, ArgsEscaped = ArgsEscaped, Image = Image, Volumes = Volumes,
        WorkingDir = WorkingDir, Entrypoint = Entrypoint, NetworkDisabled = NetworkDisabled, MacAddress = MacAddress,
        OnBuild = OnBuild, Labels = Labels, StopSignal = StopSignal, StopTimeout = StopTimeout, Shell = Shell,
    };
}

public sealed class NetworkingConfig
{
    public Dictionary<string, EndpointSettings>? EndpointsConfig { get; set; }
}

public sealed class EndpointSettings
{
    public EndpointIpamConfig? IPAMConfig { get; set; }
    public List<string>? Links { get; set; }
    public string? MacAddress { get; set; }
    public List<string>? Aliases { get; set; }
    public Dictionary<string, string>? DriverOpts { get; set; }
    public int GwPriority { get; set; }
    public string? NetworkID { get; set; }
    public string? EndpointID { get; set; }
    public string? Gateway { get; set; }
    public string? IPAddress { get; set; }
    public int IPPrefixLen { get; set; }
    public string? IPv6Gateway { get; set; }
    public string? GlobalIPv6Address { get; set; }
    public int GlobalIPv6PrefixLen { get; set; }
    public List<string>? DNSNames { get; set; }
}

public sealed class EndpointIpamConfig
{
    public string? IPv4Address { get; set; }
    public string? IPv6Address { get; set; }
    public List<string>? LinkLocalIPs { get; set; }
}

public sealed class ContainerCreateResponse
{
    public string Id { get; set; } = "";
    public List<string> Warnings { get; set; } = [];
}

public sealed class ContainerWaitResponse
{
    public long StatusCode { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public WaitError? Error { get; set; }
}

public sealed class WaitError
{
    public string? Message { get; set; }
}

public sealed class ContainerTopResponse
{
    public List<string> Titles { get; set; } = [];
    public List<List<string>> Processes { get; set; } = [];
}

public sealed class ContainerUpdateResponse
{
    public List<string> Warnings { get; set; } = [];
}

public sealed class FilesystemChange
{
    public string Path { get; set; } = "";
    public int Kind { get; set; }
}
