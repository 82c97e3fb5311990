using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Api.Models;
using Berth.Api.Models.Containers;

namespace Berth.Client;

public sealed partial class BerthClient
{
    public Task<ContainerCreateResponse> CreateContainerAsync(ContainerCreateRequest body, string? name, string? platform, CancellationToken ct) =>
        PostJsonAsync("/containers/create" + Query.Build(("name", name), ("platform", platform)), body,
            ApiJsonContext.Default.ContainerCreateRequest, ApiJsonContext.Default.ContainerCreateResponse, ct);

    public Task<ContainerInspectResponse> InspectContainerAsync(string id, CancellationToken ct) =>
        GetJsonAsync($"/containers/{Query.Escape(id)}/json", ApiJsonContext.Default.ContainerInspectResponse, ct);

    public Task<List<ContainerSummary>> ListContainersAsync(bool all, int? limit, bool size, string? filtersJson, CancellationToken ct) =>
        GetJsonAsync("/containers/json" + Query.Build(("all", Query.Flag(all)), ("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("size", Query.Flag(size)), ("filters", filtersJson)), ApiJsonContext.Default.ListContainerSummary, ct);

    /// <summary>False when the daemon answered 304 (already running).</summary>
    public async Task<bool> StartContainerAsync(string id, CancellationToken ct) =>
        await PostAsync($"/containers/{Query.Escape(id)}/start", ct, null, HttpStatusCode.NotModified) != HttpStatusCode.NotModified;

    public async Task<bool> StopContainerAsync(string id, int? timeout, string? signal, CancellationToken ct) =>
        await PostAsync($"/containers/{Query.Escape(id)}/stop" + Query.Build(("t", timeout?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("signal", signal)),
            ct, null, HttpStatusCode.NotModified) != HttpStatusCode.NotModified;

    public Task RestartContainerAsync(string id, int? timeout, string? signal, CancellationToken ct) =>
        PostAsync($"/containers/{Query.Escape(id)}/restart" + Query.Build(("t", timeout?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("signal", signal)), ct);

    public Task KillContainerAsync(string id, string? signal, CancellationToken ct) =>
        PostAsync($"/containers/{Query.Escape(id)}/kill" + Query.Build(("signal", signal)), ct);

    public Task RemoveContainerAsync(string id, bool force, bool volumes, CancellationToken ct) =>
        DeleteAsync($"/containers/{Query.Escape(id)}" + Query.Build(("force", Query.Flag(force)), ("v", Query.Flag(volumes))), ct);

    public Task PauseContainerAsync(string id, CancellationToken ct) => PostAsync($"/containers/{Query.Escape(id)}/pause", ct);

    public Task UnpauseContainerAsync(string id, CancellationToken ct) => PostAsync($"/containers/{Query.Escape(id)}/unpause", ct);

    public Task RenameContainerAsync(string id, string name, CancellationToken ct) =>
        PostAsync($"/containers/{Query.Escape(id)}/rename" + Query.Build(("name", name)), ct);

    public Task ResizeContainerAsync(string id, int height, int width, CancellationToken ct) =>
        PostAsync($"/containers/{Query.Escape(id)}/resize" + Query.Build(("h", height.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("w", width.ToString(System.Globalization.CultureInfo.InvariantCulture))), ct);

    public Task<ContainerTopResponse> TopAsync(string id, string? psArgs, CancellationToken ct) =>
        GetJsonAsync($"/containers/{Query.Escape(id)}/top" + Query.Build(("ps_args", psArgs)), ApiJsonContext.Default.ContainerTopResponse, ct);

    public Task<List<FilesystemChange>> ChangesAsync(string id, CancellationToken ct) =>
        GetJsonAsync($"/containers/{Query.Escape(id)}/changes", ApiJsonContext.Default.ListFilesystemChange, ct);

    public async Task<ContainerUpdateResponse> UpdateContainerAsync(string id, JsonObject body, CancellationToken ct)
    {
        var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await SendAsync(HttpMethod.Post, $"/containers/{Query.Escape(id)}/update", content, ct);
        await using var s = await response.Content.ReadAsStreamAsync(ct);
        return (await JsonSerializer.DeserializeAsync(s, ApiJsonContext.Default.ContainerUpdateResponse, ct))!;
    }

    /// <summary>
    /// Sends <c>POST /containers/{id}/wait</c> and returns once the response headers arrived (the daemon flushes them
    /// at once; the CLI starts the container only after that), with a task for the final status.
    /// </summary>
    public async Task<Task<ContainerWaitResponse>> WaitContainerAsync(string id, string? condition, CancellationToken ct)
    {
        var response = await SendAsync(HttpMethod.Post, $"/containers/{Query.Escape(id)}/wait" + Query.Build(("condition", condition)), EmptyContent(), ct);
        return ReadWaitAsync(response, ct);

        static async Task<ContainerWaitResponse> ReadWaitAsync(HttpResponseMessage response, CancellationToken ct)
        {
            using (response)
            {
                await using var s = await response.Content.ReadAsStreamAsync(ct);
                return (await JsonSerializer.DeserializeAsync(s, ApiJsonContext.Default.ContainerWaitResponse, ct))!;
            }
        }
    }

    public Task<HijackedConnection> AttachContainerAsync(string id, bool stdin, bool stdout, bool stderr, bool logs, string? detachKeys, CancellationToken ct) =>
        HijackAsync($"/containers/{Query.Escape(id)}/attach" + Query.Build(("stream", "1"), ("stdin", Query.Flag(stdin)), ("stdout", Query.Flag(stdout)),
            ("stderr", Query.Flag(stderr)), ("logs", Query.Flag(logs)), ("detachKeys", detachKeys)), null, ct);

    /// <summary>The log stream (framed unless the container has a TTY); dispose it to end a follow.</summary>
    public Task<Stream> LogsAsync(string id, string query, CancellationToken ct) => OpenStreamAsync(HttpMethod.Get, $"/containers/{Query.Escape(id)}/logs{query}", null, ct);

    public Task<Stream> ExportContainerAsync(string id, CancellationToken ct) => OpenStreamAsync(HttpMethod.Get, $"/containers/{Query.Escape(id)}/export", null, ct);

    /// <summary>A streaming response body; disposing the stream releases the connection.</summary>
    public async Task<Stream> OpenStreamAsync(HttpMethod method, string route, HttpContent? body, CancellationToken ct, IReadOnlyDictionary<string, string>? headers = null)
    {
        var response = await SendAsync(method, route, body, ct, headers);
        return await response.Content.ReadAsStreamAsync(ct);
    }
}
