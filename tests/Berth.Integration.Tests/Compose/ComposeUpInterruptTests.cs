using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Compose;

/// <summary>
/// Ctrl-C on an attached <c>berth compose up</c>, typed on a real terminal (tmux): the first stops the project's
/// containers gracefully (SIGTERM, within the grace period), a second one kills them; the command exits 130.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class ComposeUpInterruptTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker, TmuxSession.TmuxPath)]
    public async Task CtrlC_StopsGracefully()
    {
        await using var p = new ComposeDir(daemon, "sigint");
        p.Write("compose.yaml", """
            services:
              polite:
                image: busybox:latest
                command: ["sh", "-c", "trap 'echo got-term; exit 0' TERM; echo polite-up; while true; do sleep 0.2; done"]
              other:
                image: busybox:latest
                command: ["sh", "-c", "trap 'exit 3' TERM; echo other-up; while true; do sleep 0.2; done"]
            """);
        await using var term = await StartUpAsync(p);
        await term.WaitForScreenAsync(s => s.Contains("polite-up", StringComparison.Ordinal) && s.Contains("other-up", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "both services' first lines");

        await term.PressAsync("C-c");
        Assert.Equal(130, await term.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var screen = await term.CaptureAsync();
        Assert.Contains("Gracefully stopping... (press Ctrl+C again to force)", screen, StringComparison.Ordinal);
        Assert.Contains("got-term", screen, StringComparison.Ordinal);
        // Stopped with SIGTERM (each ran its trap), not killed, and still there: stop, not down.
        Assert.Equal("exited 0\n", (await p.DockerAsync("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", $"{p.Project}-polite-1")).Ok("polite").Stdout);
        Assert.Equal("exited 3\n", (await p.DockerAsync("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", $"{p.Project}-other-1")).Ok("other").Stdout);
    }

    [RootFact(E2E.Docker, TmuxSession.TmuxPath)]
    public async Task SecondCtrlC_Kills()
    {
        await using var p = new ComposeDir(daemon, "sigkill");
        // Ignores SIGTERM and has a grace period far beyond the test's patience: only a kill ends it in time.
        p.Write("compose.yaml", """
            services:
              stubborn:
                image: busybox:latest
                command: ["sh", "-c", "trap '' TERM; echo stubborn-up; while true; do sleep 0.2; done"]
                stop_grace_period: 10m
            """);
        await using var term = await StartUpAsync(p);
        await term.WaitForScreenAsync(s => s.Contains("stubborn-up", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the service's first line");

        await term.PressAsync("C-c");
        await term.WaitForScreenAsync(s => s.Contains("Gracefully stopping", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "the graceful stop");
        // The container is still running out its grace period.
        Assert.Equal("running\n", (await p.DockerAsync("inspect", "-f", "{{.State.Status}}", $"{p.Project}-stubborn-1")).Ok("during stop").Stdout);
        await term.PressAsync("C-c");
        Assert.Equal(130, await term.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal("exited 137\n", (await p.DockerAsync("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", $"{p.Project}-stubborn-1")).Ok("killed").Stdout);
    }

    private async Task<TmuxSession> StartUpAsync(ComposeDir p) =>
        await TmuxSession.StartAsync([RepoPaths.Berth, "-H", daemon.DockerHost, "compose", "-f", p.ComposeFile, "-p", p.Project, "up"], daemon.ClientEnvironment);
}
