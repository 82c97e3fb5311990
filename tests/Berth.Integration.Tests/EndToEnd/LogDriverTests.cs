using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.EndToEnd;

/// <summary>Log drivers none and local through the docker CLI.</summary>
[Collection(DaemonCollection.Name)]
public sealed class LogDriverTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker)]
    public async Task None_AttachStillWorks_LogsRefusedAsDocker()
    {
        var name = E2E.UniqueName("lognone");
        try
        {
            var run = (await daemon.RunDockerAsync(["run", "--name", name, "--log-driver", "none", "busybox", "echo", "hello"])).Ok("run");
            Assert.Equal("hello\n", run.Stdout);
            var logs = await daemon.RunDockerAsync(["logs", name]);
            Assert.NotEqual(0, logs.ExitCode);
            Assert.Contains("configured logging driver does not support reading", logs.Stderr, StringComparison.Ordinal);
            Assert.Equal("none\n", (await daemon.RunDockerAsync(["inspect", "-f", "{{.HostConfig.LogConfig.Type}}", name])).Ok("inspect").Stdout);
            Assert.False(File.Exists((await daemon.RunDockerAsync(["inspect", "-f", "{{.LogPath}}", name])).Ok("inspect").Stdout.Trim()));
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task Local_LogsReadBack()
    {
        var name = E2E.UniqueName("loglocal");
        try
        {
            (await daemon.RunDockerAsync(["run", "--name", name, "--log-driver", "local", "busybox", "sh", "-c", "echo out; echo err >&2"])).Ok("run");
            var logs = (await daemon.RunDockerAsync(["logs", name])).Ok("logs");
            Assert.Equal("out\n", logs.Stdout);
            Assert.Equal("err\n", logs.Stderr);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task UnknownDriver_RejectedAtCreate()
    {
        var r = await daemon.RunDockerAsync(["create", "--log-driver", "splunk", "busybox", "true"]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("logger: no log driver named 'splunk' is registered", r.Stderr, StringComparison.Ordinal);
    }
}
