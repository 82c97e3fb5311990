using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.Common;
using Berth.Api.Models.Exec;

namespace Berth.Client;

public sealed partial class BerthClient
{
    public Task<IdResponse> CreateExecAsync(string containerId, ExecConfig config, CancellationToken ct) =>
        PostJsonAsync($"/containers/{Query.Escape(containerId)}/exec", config, ApiJsonContext.Default.ExecConfig, ApiJsonContext.Default.IdResponse, ct);

    /// <summary>Hijacked <c>POST /exec/{id}/start</c> (the JSON body rides along with the upgrade request).</summary>
    public Task<HijackedConnection> StartExecAttachedAsync(string execId, ExecStartConfig config, CancellationToken ct) =>
        HijackAsync($"/exec/{Query.Escape(execId)}/start", JsonSerializer.SerializeToUtf8Bytes(config, ApiJsonContext.Default.ExecStartConfig), ct);

    public Task StartExecDetachedAsync(string execId, ExecStartConfig config, CancellationToken ct) =>
        PostAsync($"/exec/{Query.Escape(execId)}/start", ct, JsonContent(config, ApiJsonContext.Default.ExecStartConfig));

    public Task<ExecInspectResponse> InspectExecAsync(string execId, CancellationToken ct) =>
        GetJsonAsync($"/exec/{Query.Escape(execId)}/json", ApiJsonContext.Default.ExecInspectResponse, ct);

    public Task ResizeExecAsync(string execId, int height, int width, CancellationToken ct) =>
        PostAsync($"/exec/{Query.Escape(execId)}/resize" + Query.Build(("h", height.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("w", width.ToString(System.Globalization.CultureInfo.InvariantCulture))), ct);
}
