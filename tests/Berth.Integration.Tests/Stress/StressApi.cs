using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Stress;

/// <summary>
/// The Engine API calls the stress tests make, straight over the daemon's socket (no CLI process per call, so the
/// numbers measure the daemon). Every call has a deadline: a call that hangs is a failure, not a stuck test.
/// </summary>
internal sealed class StressApi(string socketPath, TimeSpan timeout) : IDisposable
{
    private readonly HttpClient _http = UnixSocketHttp.Create(socketPath, timeout);

    public TimeSpan Timeout => timeout;

    /// <summary>POST /containers/create then /start, as <c>docker run -d</c>; returns the id.</summary>
    public async Task<string> RunDetachedAsync(string image, string[] cmd, string? name = null, IReadOnlyDictionary<string, string>? labels = null,
        CancellationToken ct = default)
    {
        var id = await CreateAsync(image, cmd, name, labels, ct);
        await StartAsync(id, ct);
        return id;
    }

    public async Task<string> CreateAsync(string image, string[] cmd, string? name = null, IReadOnlyDictionary<string, string>? labels = null,
        CancellationToken ct = default)
    {
        var body = new JsonObject
        {
            ["Image"] = image,
            ["Cmd"] = new JsonArray([.. cmd.Select(c => (JsonNode?)JsonValue.Create(c))]),
            ["Labels"] = labels is null ? null : new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value)))),
        };
        var path = name is null ? "/containers/create" : "/containers/create?name=" + Uri.EscapeDataString(name);
        using var doc = await SendJsonAsync(HttpMethod.Post, path, body, ct);
        return doc.RootElement.GetProperty("Id").GetString()!;
    }

    public async Task StartAsync(string id, CancellationToken ct = default) => (await SendJsonAsync(HttpMethod.Post, $"/containers/{id}/start", null, ct)).Dispose();

    public async Task RemoveAsync(string id, bool force, CancellationToken ct = default) =>
        (await SendJsonAsync(HttpMethod.Delete, $"/containers/{id}?force={(force ? 1 : 0)}&v=1", null, ct)).Dispose();

    public Task<JsonDocument> InspectAsync(string id, CancellationToken ct = default) => SendJsonAsync(HttpMethod.Get, $"/containers/{id}/json", null, ct);

    public Task<JsonDocument> ListAsync(bool all, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Get, all ? "/containers/json?all=1" : "/containers/json", null, ct);

    /// <summary>GET /containers/{id}/logs (not following): the raw multiplexed bytes.</summary>
    public async Task<byte[]> LogsAsync(string id, CancellationToken ct = default)
    {
        using var response = await _http.GetAsync($"/containers/{id}/logs?stdout=1&stderr=1&tail=20", ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET logs {id}: {(int)response.StatusCode} {Encoding.UTF8.GetString(bytes)}");
        return bytes;
    }

    /// <summary>
    /// POST /containers/{id}/exec, then /exec/{id}/start hijacked (101 UPGRADED) on a raw connection, as the docker CLI does;
    /// returns the demultiplexed stdout once the daemon closes the stream.
    /// </summary>
    public async Task<string> ExecAsync(string id, string[] cmd, CancellationToken ct = default)
    {
        var body = new JsonObject
        {
            ["AttachStdout"] = true,
            ["AttachStderr"] = true,
            ["Cmd"] = new JsonArray([.. cmd.Select(c => (JsonNode?)JsonValue.Create(c))]),
        };
        string execId;
        using (var created = await SendJsonAsync(HttpMethod.Post, $"/containers/{id}/exec", body, ct))
            execId = created.RootElement.GetProperty("Id").GetString()!;

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cts.Token);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var json = """{"Detach":false,"Tty":false}""";
        var request = $"POST /v1.45/exec/{execId}/start HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
                      $"Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: {Encoding.UTF8.GetByteCount(json)}\r\n\r\n{json}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cts.Token);

        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await stream.ReadAsync(buffer, cts.Token)) > 0) received.Write(buffer, 0, n);
        var all = received.ToArray();
        var headEnd = all.AsSpan().IndexOf("\r\n\r\n"u8);
        if (headEnd < 0) throw new HttpRequestException($"exec start {execId}: no response head ({all.Length} bytes)");
        var head = Encoding.ASCII.GetString(all, 0, headEnd);
        if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal) && !head.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
            throw new HttpRequestException($"exec start {execId}: {head}\n{Encoding.UTF8.GetString(all, headEnd + 4, all.Length - headEnd - 4)}");
        return Demultiplex(all.AsSpan(headEnd + 4));
    }

    /// <summary>The stdout frames of a multiplexed stream (8-byte headers: stream, 0, 0, 0, big-endian length).</summary>
    public static string Demultiplex(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder();
        while (data.Length >= 8)
        {
            var length = (data[4] << 24) | (data[5] << 16) | (data[6] << 8) | data[7];
            if (data.Length < 8 + length) break;
            if (data[0] == 1) sb.Append(Encoding.UTF8.GetString(data.Slice(8, length)));
            data = data[(8 + length)..];
        }
        return sb.ToString();
    }

    private async Task<JsonDocument> SendJsonAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text.Length == 0 ? "{}" : text);
    }

    public void Dispose() => _http.Dispose();
}
