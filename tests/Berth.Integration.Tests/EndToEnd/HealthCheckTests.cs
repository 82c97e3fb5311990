using System.Text.Json;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.EndToEnd;

/// <summary>Health checks run inside the container: status, log, ps, events, and Berth's --health-on-failure.</summary>
[Collection(DaemonCollection.Name)]
public sealed class HealthCheckTests(DaemonFixture daemon)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [RootFact(E2E.Docker)]
    public async Task FailingCheck_TurnsUnhealthyAfterRetries_VisibleInInspectPsAndEvents()
    {
        var name = E2E.UniqueName("unhealthy");
        var since = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", name, "--health-cmd", "echo probing; exit 1", "--health-interval", "200ms",
                "--health-retries", "3", "busybox", "sleep", "1000"])).Ok("run -d");
            Assert.Equal("starting\n", (await daemon.RunDockerAsync(["inspect", "-f", "{{.State.Health.Status}}", name])).Ok("inspect").Stdout);

            var health = await E2E.EventuallyAsync(() => daemon.RunDockerAsync(["inspect", "-f", "{{json .State.Health}}", name]),
                r => r.Stdout.Contains("\"unhealthy\"", StringComparison.Ordinal), Patience, "the container to turn unhealthy");
            using var doc = JsonDocument.Parse(health.Stdout);
            var root = doc.RootElement;
            // Unhealthy exactly when the streak reached retries; later probes keep failing.
            Assert.True(root.GetProperty("FailingStreak").GetInt32() >= 3);
            var log = root.GetProperty("Log");
            Assert.InRange(log.GetArrayLength(), 3, 5);
            Assert.Equal(1, log[0].GetProperty("ExitCode").GetInt32());
            Assert.Equal("probing\n", log[0].GetProperty("Output").GetString());

            var ps = (await daemon.RunDockerAsync(["ps", "--filter", "health=unhealthy", "--format", "{{.Names}} {{.Status}}"])).Ok("ps --filter health");
            Assert.Contains(name + " Up ", ps.Stdout, StringComparison.Ordinal);
            Assert.Contains("(unhealthy)", ps.Stdout, StringComparison.Ordinal);
            var healthy = (await daemon.RunDockerAsync(["ps", "--filter", "health=healthy", "--format", "{{.Names}}"])).Ok("ps healthy");
            Assert.DoesNotContain(name, healthy.Stdout, StringComparison.Ordinal);

            var events = (await daemon.RunDockerAsync(["events", "--since", since.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--until", DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--filter", "container=" + name, "--filter", "event=health_status", "--format", "{{.Action}}"])).Ok("events");
            Assert.Equal("health_status: unhealthy\n", events.Stdout);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task PassingCheck_Healthy_ShownInPs()
    {
        var name = E2E.UniqueName("healthy");
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", name, "--health-cmd", "test -d /proc", "--health-interval", "200ms", "busybox", "sleep", "1000"])).Ok("run -d");
            await E2E.EventuallyAsync(() => daemon.RunDockerAsync(["ps", "--filter", "name=" + name, "--format", "{{.Status}}"]),
                r => r.Stdout.EndsWith("(healthy)\n", StringComparison.Ordinal), Patience, "ps to show (healthy)");
            var ps = (await daemon.RunDockerAsync(["ps", "--filter", "health=healthy", "--format", "{{.Names}}"])).Ok("ps --filter health=healthy");
            Assert.Contains(name, ps.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task HealthOnFailureRestart_UnhealthyContainer_IsRestarted()
    {
        var name = E2E.UniqueName("hof");
        try
        {
            // The check fails until /tmp/ok exists; a restart keeps the container's layer, so every run turns
            // unhealthy again until the test creates the file.
            (await daemon.RunBerthAsync(["run", "-d", "--name", name, "--health-cmd", "test -f /tmp/ok", "--health-interval", "200ms",
                "--health-retries", "2", "--health-on-failure", "restart", "busybox", "sleep", "1000"])).Ok("berth run -d");
            var label = (await daemon.RunDockerAsync(["inspect", "-f", "{{index .Config.Labels \"io.berth.health-on-failure\"}}", name])).Ok("inspect label");
            Assert.Equal("restart\n", label.Stdout);
            var firstPid = (await daemon.RunDockerAsync(["inspect", "-f", "{{.State.Pid}}", name])).Ok("inspect pid").Stdout;

            await E2E.EventuallyAsync(() => daemon.RunDockerAsync(["inspect", "-f", "{{.RestartCount}} {{.State.Running}}", name]),
                r => r.Stdout.StartsWith("1 true", StringComparison.Ordinal) || r.Stdout.StartsWith("2 true", StringComparison.Ordinal), Patience,
                "the unhealthy container to be restarted");
            Assert.NotEqual(firstPid, (await daemon.RunDockerAsync(["inspect", "-f", "{{.State.Pid}}", name])).Ok("inspect pid").Stdout);

            // Once the check passes, the container stays up.
            // The exec may land while a restart is under way; retry until it runs.
            await E2E.EventuallyAsync(() => daemon.RunDockerAsync(["exec", name, "touch", "/tmp/ok"]), r => r.ExitCode == 0, Patience, "exec touch");
            await E2E.EventuallyAsync(() => daemon.RunDockerAsync(["inspect", "-f", "{{.State.Health.Status}}", name]),
                r => r.Stdout == "healthy\n", Patience, "the container to turn healthy");
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task NoHealthcheck_HasNoHealthState()
    {
        var name = E2E.UniqueName("nohc");
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", name, "--no-healthcheck", "busybox", "sleep", "1000"])).Ok("run -d");
            var ps = (await daemon.RunDockerAsync(["ps", "--filter", "health=none", "--format", "{{.Names}}"])).Ok("ps --filter health=none");
            Assert.Contains(name, ps.Stdout, StringComparison.Ordinal);
            Assert.Equal("<nil>\n", (await daemon.RunDockerAsync(["inspect", "-f", "{{.State.Health}}", name])).Ok("inspect").Stdout);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }
}
