using System.Text.Json;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Compose;

/// <summary>
/// <c>up</c> starts a service as soon as its own dependencies are ready, independent services concurrently, as Compose
/// does. Proved by a project a serial start cannot bring up: "a-waiter" needs "b-gate" healthy, and the gate turns
/// healthy only once "c-opener" (independent of both, and last in any by-name order) has run.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class ComposeParallelUpTests(DaemonFixture daemon)
{
    private const string GateProject = """
        services:
          a-waiter:
            image: busybox:latest
            command: ["sleep", "3600"]
            depends_on:
              b-gate:
                condition: service_healthy
          b-gate:
            image: busybox:latest
            command: ["sleep", "3600"]
            volumes: [shared:/shared]
            healthcheck:
              test: ["CMD-SHELL", "test -f /shared/go"]
              interval: 200ms
              timeout: 2s
              retries: 300
          c-opener:
            image: busybox:latest
            command: ["sh", "-c", "touch /shared/go; exec sleep 3600"]
            volumes: [shared:/shared]
        volumes:
          shared:
        """;

    [RootFact(E2E.Docker)]
    public async Task IndependentServiceStartsWhileADependentWaits_AndTheDependentStillWaitsForHealthy()
    {
        await using var p = new ComposeDir(daemon, "par");
        p.Write("compose.yaml", GateProject);
        // A serial walk would block on a-waiter's wait before ever starting c-opener (and time out).
        var up = (await p.ComposeAsync("up", "-d")).Ok("up");
        Assert.Contains($"Container {p.Project}-b-gate-1  Healthy", up.Stderr, StringComparison.Ordinal);

        // depends_on still holds: the waiter started only after the gate's first passing check, which needed the opener.
        var gate = await InspectAsync($"{p.Project}-b-gate-1");
        var healthyAt = gate.GetProperty("State").GetProperty("Health").GetProperty("Log").EnumerateArray()
            .First(l => l.GetProperty("ExitCode").GetInt32() == 0).GetProperty("End").GetDateTimeOffset();
        var waiterStarted = StartedAt(await InspectAsync($"{p.Project}-a-waiter-1"));
        var openerStarted = StartedAt(await InspectAsync($"{p.Project}-c-opener-1"));
        Assert.True(waiterStarted >= healthyAt, $"a-waiter started at {waiterStarted:O}, before b-gate was healthy at {healthyAt:O}");
        Assert.True(openerStarted <= waiterStarted, $"c-opener started at {openerStarted:O}, after a-waiter at {waiterStarted:O}");

        // compose start walks the graph the same way.
        (await p.ComposeAsync("stop", "-t", "1")).Ok("stop");
        (await p.DockerAsync("run", "--rm", "-v", $"{p.Project}_shared:/shared", "busybox:latest", "rm", "-f", "/shared/go")).Ok("close the gate");
        (await p.ComposeAsync("start")).Ok("start");
        Assert.Equal(3, (await p.ProjectContainersAsync(all: false)).Count);
    }

    private static DateTimeOffset StartedAt(JsonElement inspect) => inspect.GetProperty("State").GetProperty("StartedAt").GetDateTimeOffset();

    private async Task<JsonElement> InspectAsync(string container)
    {
        var r = (await daemon.RunDockerAsync(["inspect", container])).Ok("inspect " + container);
        using var doc = JsonDocument.Parse(r.Stdout);
        return doc.RootElement[0].Clone();
    }
}
