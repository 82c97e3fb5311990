using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Compose;

/// <summary>
/// A throwaway Compose project: a temp directory with the files a test writes, a unique project name, and
/// <c>berth compose -f … -p …</c> runs against the fixture's daemon. Disposing brings the project down with its volumes
/// and built images and deletes the directory.
/// </summary>
internal sealed class ComposeDir : IAsyncDisposable
{
    /// <summary>An image that serves HTTP on 8080 from busybox's httpd (stands in for the seeds' web apps).</summary>
    public const string HttpDockerfile = "FROM busybox:latest\nARG SERVICE=app\nRUN mkdir -p /www && echo served-by-${SERVICE} > /www/index.html\nEXPOSE 8080\nCMD [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]\n";

    /// <summary>A "database" that turns healthy only after a delay: its CMD-SHELL check passes once /tmp/ready exists.</summary>
    public static string SlowDb(string delay = "1") => $$"""
            image: busybox:latest
            command: ["sh", "-c", "sleep {{delay}}; touch /tmp/ready; exec sleep 3600"]
            healthcheck:
              test: ["CMD-SHELL", "test -f /tmp/ready"]
              interval: 200ms
              timeout: 2s
              retries: 50
        """;

    private readonly DaemonFixture _daemon;

    public ComposeDir(DaemonFixture daemon, string prefix)
    {
        _daemon = daemon;
        Project = E2E.UniqueName(prefix).Replace("it-", "c", StringComparison.Ordinal).ToLowerInvariant();
        Dir = Path.Combine(Path.GetTempPath(), "berth-compose-it", Project);
        Directory.CreateDirectory(Dir);
    }

    public string Project { get; }

    public string Dir { get; }

    public string ComposeFile => Path.Combine(Dir, "compose.yaml");

    public ComposeDir Write(string relative, string content)
    {
        var path = Path.Combine(Dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return this;
    }

    public Task<CommandResult> ComposeAsync(params string[] args) =>
        _daemon.RunBerthAsync(["compose", "-f", ComposeFile, "-p", Project, .. args], timeout: TimeSpan.FromSeconds(90));

    public Task<CommandResult> DockerAsync(params string[] args) => _daemon.RunDockerAsync(args, timeout: TimeSpan.FromSeconds(60));

    /// <summary>Runs a command in the first container of a service.</summary>
    public Task<CommandResult> ExecAsync(string service, params string[] cmd) => ComposeAsync(["exec", "-T", service, .. cmd]);

    public async Task<string> ContainerIdAsync(string container) =>
        (await DockerAsync("inspect", "-f", "{{.Id}}", container)).Ok("inspect " + container).Stdout.Trim();

    public async Task<IReadOnlyList<string>> ProjectContainersAsync(bool all = true)
    {
        var r = (await DockerAsync(["ps", .. all ? new[] { "-a" } : [], "--filter", "label=com.docker.compose.project=" + Project, "--format", "{{.Names}}"])).Ok("ps");
        return [.. r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ComposeAsync("down", "-v", "--remove-orphans", "--rmi", "local", "-t", "1");
        }
        catch (TimeoutException)
        {
            // The fixture's dispose removes every container and network left behind.
        }
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory.
        }
    }
}
