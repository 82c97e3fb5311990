using Berth.Network.Dns;
using Berth.Network.Firewall;
using Berth.Network.PortMapping;

namespace Berth.Services.Networks;

/// <summary>The network resources of one running container that live in the daemon: DNS sockets, proxies, NAT rules.</summary>
internal sealed class Sandbox(string containerId)
{
    public string ContainerId { get; } = containerId;
    public int Pid { get; set; }
    public string NetnsPath => $"/proc/{Pid}/ns/net";
    public EmbeddedDnsServer? Dns { get; set; }
    public List<PortProxy> Proxies { get; } = [];
    public List<PortRule> Rules { get; } = [];
    public int NextInterface { get; set; }
}
