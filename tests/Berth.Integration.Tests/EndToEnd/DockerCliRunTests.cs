using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.EndToEnd;

/// <summary>docker run, foreground, through the real docker CLI.</summary>
[Collection(DaemonCollection.Name)]
public sealed class DockerCliRunTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker)]
    public async Task Run_Echo_PrintsOutput()
    {
        var r = (await daemon.RunDockerAsync(["run", "--rm", "busybox", "echo", "hi"])).Ok("docker run --rm busybox echo hi");
        Assert.Equal("hi\n", r.Stdout);
    }

    [RootFact(E2E.Docker)]
    public async Task Run_ShellPid_IsOne()
    {
        var r = (await daemon.RunDockerAsync(["run", "--rm", "busybox", "sh", "-c", "echo $$"])).Ok("echo $$");
        Assert.Equal("1\n", r.Stdout);
    }

    [RootFact(E2E.Docker)]
    public async Task Run_HostnameFlag_SetsHostname()
    {
        var r = (await daemon.RunDockerAsync(["run", "--rm", "-h", "myhost", "busybox", "hostname"])).Ok("hostname");
        Assert.Equal("myhost\n", r.Stdout);
    }

    [RootFact(E2E.Docker)]
    public async Task Run_CommandExits3_ExitCodeIs3()
    {
        var r = await daemon.RunDockerAsync(["run", "--rm", "busybox", "sh", "-c", "exit 3"]);
        Assert.True(r.ExitCode == 3, r.ToString());
    }

    [RootFact(E2E.Docker)]
    public async Task Run_MemoryLimitExceeded_ReportsOomKilled()
    {
        var name = E2E.UniqueName("oom");
        try
        {
            // The shell keeps 200 MB of command-substitution output in its own heap, far past the 32 MB limit.
            var r = await daemon.RunDockerAsync(
                ["run", "--name", name, "-m", "32m", "busybox", "sh", "-c", "x=$(yes | head -c 200000000); echo survived ${#x}"],
                timeout: TimeSpan.FromSeconds(90));
            Assert.DoesNotContain("survived", r.Stdout);
            Assert.True(r.ExitCode == 137, r.ToString());
            var state = (await daemon.RunDockerAsync(["inspect", "-f", "{{.State.OOMKilled}} {{.State.ExitCode}}", name])).Ok("inspect");
            Assert.Equal("true 137\n", state.Stdout);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }
}
