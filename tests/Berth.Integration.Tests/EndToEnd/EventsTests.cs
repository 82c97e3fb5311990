using System.Globalization;
using System.Text.Json;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.EndToEnd;

/// <summary>docker events: the lifecycle in Docker's order and attributes, with since/until and filters applied.</summary>
[Collection(DaemonCollection.Name)]
public sealed class EventsTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker)]
    public async Task Lifecycle_EventsArriveInOrderWithAttributes()
    {
        var name = E2E.UniqueName("events");
        var since = Unix(DateTimeOffset.UtcNow.AddSeconds(-1));
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", name, "--label", "team=ops", "busybox", "sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.1; done"])).Ok("run -d");
            (await daemon.RunDockerAsync(["pause", name])).Ok("pause");
            (await daemon.RunDockerAsync(["unpause", name])).Ok("unpause");
            (await daemon.RunDockerAsync(["stop", name], timeout: TimeSpan.FromSeconds(30))).Ok("stop");
            (await daemon.RunDockerAsync(["start", name])).Ok("start");
            (await daemon.RunDockerAsync(["kill", "-s", "KILL", name])).Ok("kill");
            (await daemon.RunDockerAsync(["wait", name], timeout: TimeSpan.FromSeconds(30))).Ok("wait");
            (await daemon.RunDockerAsync(["rm", name])).Ok("rm");
            var until = Unix(DateTimeOffset.UtcNow.AddSeconds(1));

            var events = await EventsAsync(since, until, "container=" + name);
            Assert.Equal(["create", "start", "pause", "unpause", "kill", "die", "stop", "start", "kill", "die", "destroy"], events.Select(e => e.Action));
            var kills = events.Where(e => e.Action == "kill").Select(e => e.Attrs["signal"]);
            Assert.Equal(["15", "9"], kills);
            var dies = events.Where(e => e.Action == "die").Select(e => e.Attrs["exitCode"]);
            Assert.Equal(["0", "137"], dies);
            Assert.All(events, e => Assert.Equal(name, e.Attrs["name"]));
            Assert.All(events, e => Assert.Equal("ops", e.Attrs["team"]));

            // Filters: AND across keys, OR within one.
            var dieOrStop = await EventsAsync(since, until, "container=" + name, "event=die", "event=stop");
            Assert.Equal(["die", "stop", "die"], dieOrStop.Select(e => e.Action));
            var byLabel = await EventsAsync(since, until, "label=team=ops", "type=container", "event=destroy");
            Assert.Contains(byLabel, e => e.Attrs["name"] == name);
            var otherLabel = await EventsAsync(since, until, "label=team=dev", "container=" + name);
            Assert.Empty(otherLabel);
            var images = await EventsAsync(since, until, "type=image", "container=" + name);
            Assert.Empty(images);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task Until_InThePast_ReturnsOnlyTheWindow()
    {
        var before = E2E.UniqueName("ev-before");
        var after = E2E.UniqueName("ev-after");
        try
        {
            var since = Unix(DateTimeOffset.UtcNow.AddSeconds(-1));
            (await daemon.RunDockerAsync(["create", "--name", before, "busybox", "true"])).Ok("create before");
            await Task.Delay(1100);
            var until = Unix(DateTimeOffset.UtcNow);
            await Task.Delay(1100);
            (await daemon.RunDockerAsync(["create", "--name", after, "busybox", "true"])).Ok("create after");
            var events = await EventsAsync(since, until, "event=create");
            var names = events.Select(e => e.Attrs["name"]).ToList();
            Assert.Contains(before, names);
            Assert.DoesNotContain(after, names);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(before);
            await daemon.RemoveQuietlyAsync(after);
        }
    }

    private async Task<List<(string Action, Dictionary<string, string> Attrs)>> EventsAsync(string since, string until, params string[] filters)
    {
        var args = new List<string> { "events", "--since", since, "--until", until, "--format", "{{json .}}" };
        foreach (var f in filters) args.AddRange(["--filter", f]);
        var r = (await daemon.RunDockerAsync([.. args], timeout: TimeSpan.FromSeconds(30))).Ok("events");
        var result = new List<(string, Dictionary<string, string>)>();
        foreach (var line in r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            var attrs = doc.RootElement.GetProperty("Actor").GetProperty("Attributes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
            result.Add((doc.RootElement.GetProperty("Action").GetString()!, attrs));
        }
        return result;
    }

    private static string Unix(DateTimeOffset t) => t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
