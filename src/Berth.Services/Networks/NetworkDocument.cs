using Berth.Api.Models.Networks;

namespace Berth.Services.Networks;

/// <summary>What the metadata store keeps of a network: its API shape (without the live Containers map) and its bridge.</summary>
public sealed class NetworkDocument
{
    public NetworkResource Resource { get; set; } = new();
    public string Bridge { get; set; } = "";
}
