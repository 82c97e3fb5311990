namespace Berth.Services.Networks;

/// <summary>A running container's attachment to one network: what DNS answers and what teardown undoes.</summary>
internal sealed record ActiveEndpoint(string ContainerId, string NetworkName, string EndpointId, uint Address, string Mac, IReadOnlyList<string> Aliases)
{
    public string HostVeth { get; set; } = "";
    public string IfName { get; set; } = "";

    /// <summary>Legacy links on a user-defined network: alias → linked container name, answered by this container's DNS only.</summary>
    public IReadOnlyDictionary<string, string> Links { get; init; } = new Dictionary<string, string>();
}
