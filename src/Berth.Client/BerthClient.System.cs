using Berth.Api.Models;
using Berth.Api.Models.Engine;

namespace Berth.Client;

public sealed partial class BerthClient
{
    /// <summary><c>HEAD /_ping</c> (unversioned); returns the daemon's <c>Api-Version</c> header, if any.</summary>
    public async Task<string?> PingAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, "/_ping");
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            return response.Headers.TryGetValues("Api-Version", out var v) ? v.FirstOrDefault() : null;
        }
        catch (HttpRequestException ex) when (IsConnectFailure(ex))
        {
            throw new DaemonUnavailableException(_endpoint.ToString(), ex.InnerException!);
        }
    }

    public Task<SystemVersion> VersionAsync(CancellationToken ct) => GetJsonAsync("/version", ApiJsonContext.Default.SystemVersion, ct);

    public Task<SystemInfo> InfoAsync(CancellationToken ct) => GetJsonAsync("/info", ApiJsonContext.Default.SystemInfo, ct);

    /// <summary>The event stream as JSON lines; ends at <paramref name="until"/> or when disposed.</summary>
    public Task<Stream> EventsAsync(string? since, string? until, string? filtersJson, CancellationToken ct) =>
        OpenStreamAsync(HttpMethod.Get, "/events" + Query.Build(("since", since), ("until", until), ("filters", filtersJson)), null, ct);
}
