namespace Berth.Network.Dns;

/// <summary>What the embedded DNS server asks the daemon, on behalf of the container it serves.</summary>
public interface IDnsNames
{
    /// <summary>Addresses of a container name, alias or id on the networks the asking container shares; null when the name is not one of ours.</summary>
    IReadOnlyList<uint>? Lookup(string askingContainerId, string name);

    /// <summary>The name of a container address on a shared network (reverse lookups), or null.</summary>
    string? Reverse(string askingContainerId, uint address);

    /// <summary>The resolvers to forward other names to.</summary>
    IReadOnlyList<System.Net.IPEndPoint> Upstreams(string askingContainerId);
}
