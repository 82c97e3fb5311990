using System.Collections.Concurrent;
using Berth.Api.Models.Networks;
using Berth.Network.Ipam;

namespace Berth.Services.Networks;

/// <summary>One network in memory: its persisted document, its address pool and its live endpoints.</summary>
internal sealed class NetworkState(NetworkDocument doc)
{
    public NetworkDocument Doc { get; } = doc;
    public NetworkResource Resource => Doc.Resource;
    public string Id => Doc.Resource.Id;
    public string Name => Doc.Resource.Name;
    public string Bridge => Doc.Bridge;
    public AddressPool? Pool { get; set; }
    public bool IsBridgeDriver => Resource.Driver == "bridge";
    public bool IsDefaultBridge => Name == "bridge";
    public bool IsPredefined => Name is "bridge" or "host" or "none";

    /// <summary>Embedded DNS serves user-defined bridge networks only, as in Docker.</summary>
    public bool HasDns => IsBridgeDriver && !IsDefaultBridge;

    public ConcurrentDictionary<string, ActiveEndpoint> Endpoints { get; } = new(StringComparer.Ordinal);
}
