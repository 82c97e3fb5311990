using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.EndToEnd;

/// <summary>docker run -it on a real terminal (tmux): what a person types reaches the shell and comes back.</summary>
[Collection(DaemonCollection.Name)]
public sealed class DockerCliInteractiveTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker, TmuxSession.TmuxPath)]
    public async Task RunInteractive_TypedCommand_EchoesResultAndExits()
    {
        await using var term = await TmuxSession.StartAsync([E2E.Docker, "run", "-it", "--rm", "busybox", "sh"], daemon.ClientEnvironment);
        await term.WaitForScreenAsync(s => s.Contains("/ #", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "the shell prompt");

        // The typed line shows "typed-$((1+1))"; only the shell's own output line is exactly "typed-2".
        await term.SendKeysAsync("echo typed-$((1+1))");
        await term.WaitForScreenAsync(s => s.Split('\n').Any(l => l.TrimEnd() == "typed-2"), TimeSpan.FromSeconds(10), "typed-2");

        await term.SendKeysAsync("exit");
        Assert.Equal(0, await term.WaitForExitAsync(TimeSpan.FromSeconds(20)));
    }
}
