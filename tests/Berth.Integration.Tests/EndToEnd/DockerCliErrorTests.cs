using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.EndToEnd;

/// <summary>Bad input gets Docker's words and exit codes, and never takes the daemon down.</summary>
[Collection(DaemonCollection.Name)]
public sealed class DockerCliErrorTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker)]
    public async Task Inspect_NoSuchObject_ExitsOneWithDockerText()
    {
        var r = await daemon.RunDockerAsync(["inspect", "nosuch"]);
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("Error: No such object: nosuch", r.Stderr, StringComparison.Ordinal);
    }

    [RootFact(E2E.Docker)]
    public async Task Rm_NoSuchContainer_ExitsOneWithDaemonMessage()
    {
        var r = await daemon.RunDockerAsync(["rm", "nosuch"]);
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Equal("Error response from daemon: No such container: nosuch", r.Stderr.Trim());
    }

    [RootFact(E2E.Docker)]
    public async Task Create_DuplicateName_ReportsConflict()
    {
        var name = E2E.UniqueName("dup");
        try
        {
            var id = (await daemon.RunDockerAsync(["create", "--name", name, "busybox", "true"])).Ok("first create").Stdout.Trim();
            var second = await daemon.RunDockerAsync(["create", "--name", name, "busybox", "true"]);
            Assert.True(second.ExitCode != 0, second.ToString()); // the docker CLI itself picks the code (1 for create)
            Assert.Contains(
                $"Conflict. The container name \"/{name}\" is already in use by container \"{id}\". " +
                "You have to remove (or rename) that container to be able to reuse that name.",
                second.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task Run_UnknownImageWithoutRegistry_FailsToPullAndDaemonKeepsServing()
    {
        var r = await daemon.RunDockerAsync(["run", "--rm", "nosuchimage"], timeout: TimeSpan.FromSeconds(90));
        Assert.True(r.ExitCode == 125, r.ToString());
        // The CLI prints this only after the daemon answered "No such image" to create: it then asked for a pull.
        Assert.Contains("Unable to find image 'nosuchimage:latest' locally", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("Error response from daemon", r.Stderr, StringComparison.Ordinal);
        Assert.True(
            r.Stderr.Contains("pull", StringComparison.OrdinalIgnoreCase) || r.Stderr.Contains("docker.io", StringComparison.Ordinal),
            $"the pull error should name the pull or the registry: {r}");

        var version = (await daemon.RunDockerAsync(["version"])).Ok("docker version after a failed pull");
        Assert.Contains("Server:", version.Stdout, StringComparison.Ordinal);
    }

    [RootFact(E2E.Docker, "/usr/bin/curl")]
    public async Task CreateContainer_MalformedJson_Returns400AndDaemonKeepsServing()
    {
        var r = (await daemon.RunAsync("/usr/bin/curl", [
            "-s", "--max-time", "10", "--unix-socket", daemon.SocketPath, "-X", "POST",
            "-H", "Content-Type: application/json", "--data", "{\"Image\": \"busybox\",",
            "-w", "\n%{http_code}", "http://localhost/containers/create",
        ])).Ok("curl");
        var lines = r.Stdout.Split('\n');
        Assert.Equal("400", lines[^1]);
        Assert.Contains("\"message\"", string.Join('\n', lines[..^1]), StringComparison.Ordinal);

        var ping = (await daemon.RunAsync("/usr/bin/curl", ["-s", "--max-time", "10", "--unix-socket", daemon.SocketPath, "http://localhost/_ping"])).Ok("ping");
        Assert.Equal("OK", ping.Stdout);
        (await daemon.RunDockerAsync(["version"])).Ok("docker version after malformed JSON");
    }
}
