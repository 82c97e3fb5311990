using System.Text.Json.Serialization;

namespace Berth.Api.Models.Networks;

/// <summary>A network as <c>GET /networks</c> and <c>GET /networks/{id}</c> return it (swagger <c>Network</c>).</summary>
public sealed class NetworkResource
{
    public string Name { get; set; } = "";
    public string Id { get; set; } = "";
    public string Created { get; set; } = "";
    public string Scope { get; set; } = "local";
    public string Driver { get; set; } = "bridge";
    public bool EnableIPv4 { get; set; } = true;
    public bool EnableIPv6 { get; set; }
    public Ipam IPAM { get; set; } = new();
    public bool Internal { get; set; }
    public bool Attachable { get; set; }
    public bool Ingress { get; set; }
    public ConfigReference ConfigFrom { get; set; } = new();
    public bool ConfigOnly { get; set; }
    public Dictionary<string, NetworkContainer> Containers { get; set; } = [];
    public Dictionary<string, string> Options { get; set; } = [];
    public Dictionary<string, string> Labels { get; set; } = [];
}

public sealed class ConfigReference
{
    public string Network { get; set; } = "";
}

public sealed class Ipam
{
    public string Driver { get; set; } = "default";
    public Dictionary<string, string>? Options { get; set; }
    public List<IpamConfig>? Config { get; set; }
}

public sealed class IpamConfig
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Subnet { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IPRange { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Gateway { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? AuxiliaryAddresses { get; set; }
}

public sealed class NetworkContainer
{
    public string Name { get; set; } = "";
    public string EndpointID { get; set; } = "";
    public string MacAddress { get; set; } = "";
    public string IPv4Address { get; set; } = "";
    public string IPv6Address { get; set; } = "";
}

public sealed class NetworkCreateRequest
{
    public string? Name { get; set; }
    public string? Driver { get; set; }
    public string? Scope { get; set; }
    public bool Internal { get; set; }
    public bool Attachable { get; set; }
    public bool Ingress { get; set; }
    public bool ConfigOnly { get; set; }
    public bool? EnableIPv4 { get; set; }
    public bool? EnableIPv6 { get; set; }
    public Ipam? IPAM { get; set; }
    public Dictionary<string, string>? Options { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public bool CheckDuplicate { get; set; }
}

public sealed class NetworkCreateResponse
{
    public string Id { get; set; } = "";
    public string Warning { get; set; } = "";
}

public sealed class NetworkConnectRequest
{
    public string? Container { get; set; }
    public Containers.EndpointSettings? EndpointConfig { get; set; }
}

public sealed class NetworkDisconnectRequest
{
    public string? Container { get; set; }
    public bool Force { get; set; }
}

public sealed class NetworkPruneResponse
{
    public List<string>? NetworksDeleted { get; set; }
}
