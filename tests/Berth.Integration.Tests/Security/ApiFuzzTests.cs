using System.Text.Json;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Security;

/// <summary>
/// Thousands of malformed requests over the unix socket (see <see cref="ApiFuzzCases"/>), four connections at a time. Every
/// answer must be below 500, and every 4xx must carry Docker's <c>{"message": ...}</c>; incomplete requests may get no
/// answer at all, but the daemon must keep serving: <c>/_ping</c> between batches and <c>docker version</c> at the end.
/// BERTH_LONG_TESTS=1 sends twenty times more. Anything the fuzz managed to create (labelled or named with a marker) is
/// removed afterwards.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class ApiFuzzTests(DaemonFixture daemon)
{
    private static readonly TimeSpan ExchangeTimeout = TimeSpan.FromSeconds(10);

    [RootFact(DaemonFixture.DockerCliPath)]
    public async Task MalformedRequests_Get4xxWithMessage_AndTheDaemonSurvives()
    {
        var marker = "fz" + Guid.NewGuid().ToString("N")[..8];
        var total = Environment.GetEnvironmentVariable("BERTH_LONG_TESTS") == "1" ? 30_000 : 1_500;
        var seed = Environment.GetEnvironmentVariable("BERTH_FUZZ_SEED") is { } s ? int.Parse(s) : Random.Shared.Next();
        var created = await DockerOkAsync(["create", "--name", marker + "-created", "busybox", "true"]);
        var running = await DockerOkAsync(["run", "-d", "--name", marker + "-running", "busybox", "sleep", "300"]);
        var failures = new List<string>();
        try
        {
            const int workers = 4;
            for (var batch = 0; batch * 100 < total; batch++)
            {
                await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
                {
                    var cases = new ApiFuzzCases(seed + batch * workers + w, created, running, marker);
                    for (var i = 0; i < 100 / workers; i++)
                    {
                        var request = cases.Next(i + w);
                        var problem = await JudgeAsync(request);
                        if (problem is not null) lock (failures) failures.Add(problem);
                    }
                })));
                using var http = daemon.CreateApiClient(TimeSpan.FromSeconds(30));
                var ping = await http.GetStringAsync("/_ping");
                Assert.True(ping == "OK", $"after batch {batch} (seed {seed}) /_ping answered {ping}\n{daemon.LogTail()}");
                if (failures.Count > 20) break;
            }
            Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} bad answer(s):\n{string.Join("\n", failures.Take(20))}");
            var version = await daemon.RunDockerAsync(["version", "--format", "{{.Server.Version}}"]);
            Assert.True(version.ExitCode == 0, version.ToString());
        }
        finally
        {
            await CleanUpAsync(marker);
        }
    }

    private async Task<string?> JudgeAsync(FuzzRequest request)
    {
        var (status, head, body) = await RawHttpExchange.SendAsync(daemon.SocketPath, request.Bytes, halfClose: !request.Complete, ExchangeTimeout);
        if (status is null)
        {
            return request.Complete ? $"{request.Label}: no HTTP answer (got \"{Cut(head)}\")" : null;
        }
        // 505 is what Go's server (so dockerd) answers an HTTP version it does not speak.
        if (status >= 500 && !(status == 501 && request.Allow501) && status != 505) return $"{request.Label}: {status} {RawHttpExchange.ErrorMessage(body)}";
        if (status >= 400 && !request.Label.Contains(" HEAD ", StringComparison.Ordinal) && RawHttpExchange.ErrorMessage(body) is null)
            return $"{request.Label}: {status} without a JSON message: {Cut(body)}";
        return null;
    }

    private async Task<string> DockerOkAsync(string[] args)
    {
        var r = await daemon.RunDockerAsync(args);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Stdout.Trim();
    }

    private async Task CleanUpAsync(string marker)
    {
        using var http = daemon.CreateApiClient(TimeSpan.FromSeconds(60));
        using (var containers = JsonDocument.Parse(await http.GetStringAsync("/containers/json?all=1")))
        {
            foreach (var c in containers.RootElement.EnumerateArray())
            {
                var names = c.GetProperty("Names").EnumerateArray().Select(n => n.GetString() ?? "");
                var labelled = c.TryGetProperty("Labels", out var l) && l.ValueKind == JsonValueKind.Object && l.TryGetProperty("fz", out var m) && m.GetString() == marker;
                if (labelled || names.Any(n => n.Contains(marker, StringComparison.Ordinal)))
                    (await http.DeleteAsync($"/containers/{c.GetProperty("Id").GetString()}?force=1&v=1")).Dispose();
            }
        }
        using (var networks = JsonDocument.Parse(await http.GetStringAsync("/networks")))
        {
            foreach (var n in networks.RootElement.EnumerateArray())
            {
                var name = n.GetProperty("Name").GetString() ?? "";
                var labelled = n.TryGetProperty("Labels", out var l) && l.ValueKind == JsonValueKind.Object && l.TryGetProperty("fz", out var m) && m.GetString() == marker;
                if (labelled || name.Contains(marker, StringComparison.Ordinal)) (await http.DeleteAsync($"/networks/{n.GetProperty("Id").GetString()}")).Dispose();
            }
        }
        using (var volumes = JsonDocument.Parse(await http.GetStringAsync("/volumes")))
        {
            if (volumes.RootElement.GetProperty("Volumes") is { ValueKind: JsonValueKind.Array } list)
            {
                foreach (var v in list.EnumerateArray())
                {
                    var labelled = v.TryGetProperty("Labels", out var l) && l.ValueKind == JsonValueKind.Object && l.TryGetProperty("fz", out var m) && m.GetString() == marker;
                    var name = v.GetProperty("Name").GetString() ?? "";
                    if (labelled || name.Contains(marker, StringComparison.Ordinal)) (await http.DeleteAsync($"/volumes/{name}?force=1")).Dispose();
                }
            }
        }
    }

    private static string Cut(string s) => s.Length > 200 ? s[..200] + "…" : s;
}
