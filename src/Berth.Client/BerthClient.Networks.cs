using System.Net;
using Berth.Api.Models;
using Berth.Api.Models.Networks;

namespace Berth.Client;

public sealed partial class BerthClient
{
    public Task<NetworkCreateResponse> CreateNetworkAsync(NetworkCreateRequest request, CancellationToken ct) =>
        PostJsonAsync("/networks/create", request, ApiJsonContext.Default.NetworkCreateRequest, ApiJsonContext.Default.NetworkCreateResponse, ct);

    public Task<NetworkResource> InspectNetworkAsync(string idOrName, CancellationToken ct) =>
        GetJsonAsync($"/networks/{Query.Escape(idOrName)}", ApiJsonContext.Default.NetworkResource, ct);

    /// <summary>The network, or null when the daemon answers 404.</summary>
    public async Task<NetworkResource?> TryInspectNetworkAsync(string idOrName, CancellationToken ct)
    {
        try
        {
            return await InspectNetworkAsync(idOrName, ct);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<List<NetworkResource>> ListNetworksAsync(string? filtersJson, CancellationToken ct) =>
        GetJsonAsync("/networks" + Query.Build(("filters", filtersJson)), ApiJsonContext.Default.ListNetworkResource, ct);

    public Task<HttpStatusCode> RemoveNetworkAsync(string idOrName, CancellationToken ct) => DeleteAsync($"/networks/{Query.Escape(idOrName)}", ct);

    public Task ConnectNetworkAsync(string network, NetworkConnectRequest request, CancellationToken ct) =>
        PostAsync($"/networks/{Query.Escape(network)}/connect", ct, JsonContent(request, ApiJsonContext.Default.NetworkConnectRequest));

    public Task DisconnectNetworkAsync(string network, string container, bool force, CancellationToken ct) =>
        PostAsync($"/networks/{Query.Escape(network)}/disconnect", ct,
            JsonContent(new NetworkDisconnectRequest { Container = container, Force = force }, ApiJsonContext.Default.NetworkDisconnectRequest));
}
