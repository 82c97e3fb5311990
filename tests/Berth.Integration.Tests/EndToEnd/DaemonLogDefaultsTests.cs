using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.EndToEnd;

/// <summary>One berthd started with <c>--log-driver local --log-opt max-size=… --log-opt max-file=…</c>.</summary>
public sealed class LogDefaultsDaemonFixture : IAsyncLifetime
{
    private DaemonFixture? _daemon;

    public DaemonFixture Daemon => _daemon ?? throw new InvalidOperationException("not started (needs root)");

    public async Task InitializeAsync()
    {
        if (!Environment.IsPrivilegedProcess && Environment.GetEnvironmentVariable("CI") != "true") return;
        _daemon = new DaemonFixture { ExtraArguments = ["--log-driver", "local", "--log-opt", "max-size=64k", "--log-opt", "max-file=2"] };
        await _daemon.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null) await _daemon.DisposeAsync();
    }
}

/// <summary>
/// The daemon's <c>--log-driver</c>/<c>--log-opt</c> are the defaults of containers that name no driver, as with dockerd;
/// a container naming its own driver keeps only its own options.
/// </summary>
public sealed class DaemonLogDefaultsTests(LogDefaultsDaemonFixture fixture) : IClassFixture<LogDefaultsDaemonFixture>
{
    private DaemonFixture Daemon => fixture.Daemon;

    [RootFact(E2E.Docker)]
    public async Task NoDriverChosen_TakesTheDaemonsDriverAndOptions()
    {
        var name = E2E.UniqueName("dflt");
        try
        {
            (await Daemon.RunDockerAsync(["run", "--name", name, "busybox", "echo", "from-default"])).Ok("run");
            var config = (await Daemon.RunDockerAsync(["inspect", "-f", "{{.HostConfig.LogConfig.Type}} {{index .HostConfig.LogConfig.Config \"max-size\"}} {{index .HostConfig.LogConfig.Config \"max-file\"}}", name])).Ok("inspect");
            Assert.Equal("local 64k 2\n", config.Stdout);
            Assert.Equal("from-default\n", (await Daemon.RunDockerAsync(["logs", name])).Ok("logs").Stdout);
        }
        finally
        {
            await Daemon.RemoveQuietlyAsync(name);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task DriverChosen_KeepsItsOwnOptionsOnly()
    {
        var name = E2E.UniqueName("dflt");
        try
        {
            (await Daemon.RunDockerAsync(["create", "--name", name, "--log-driver", "json-file", "busybox", "true"])).Ok("create");
            var config = (await Daemon.RunDockerAsync(["inspect", "-f", "{{.HostConfig.LogConfig.Type}} {{len .HostConfig.LogConfig.Config}}", name])).Ok("inspect");
            Assert.Equal("json-file 0\n", config.Stdout);
        }
        finally
        {
            await Daemon.RemoveQuietlyAsync(name);
        }
    }
}
