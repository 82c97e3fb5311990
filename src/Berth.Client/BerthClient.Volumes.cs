using System.Net;
using System.Text.Json.Nodes;
using Berth.Api.Models;
using Berth.Api.Models.Volumes;

namespace Berth.Client;

public sealed partial class BerthClient
{
    public Task<Volume> CreateVolumeAsync(VolumeCreateRequest request, CancellationToken ct) =>
        PostJsonAsync("/volumes/create", request, ApiJsonContext.Default.VolumeCreateRequest, ApiJsonContext.Default.Volume, ct);

    public Task<VolumeListResponse> ListVolumesAsync(string? filtersJson, CancellationToken ct) =>
        GetJsonAsync("/volumes" + Query.Build(("filters", filtersJson)), ApiJsonContext.Default.VolumeListResponse, ct);

    public Task<JsonNode?> InspectVolumeAsync(string name, CancellationToken ct) => GetNodeAsync($"/volumes/{Query.Escape(name)}", ct);

    public Task<HttpStatusCode> RemoveVolumeAsync(string name, bool force, CancellationToken ct) =>
        DeleteAsync($"/volumes/{Query.Escape(name)}" + Query.Build(("force", Query.Flag(force))), ct);

    public async Task<VolumePruneResponse> PruneVolumesAsync(string? filtersJson, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Post, "/volumes/prune" + Query.Build(("filters", filtersJson)), new ByteArrayContent([]), ct);
        await using var s = await response.Content.ReadAsStreamAsync(ct);
        return await System.Text.Json.JsonSerializer.DeserializeAsync(s, ApiJsonContext.Default.VolumePruneResponse, ct) ?? new VolumePruneResponse();
    }
}
