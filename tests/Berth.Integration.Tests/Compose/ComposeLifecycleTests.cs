using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Compose;

/// <summary>Scaling, convergence (what <c>up</c> recreates), malformed files, and Debian's docker-compose 1.29 on the same files.</summary>
[Collection(DaemonCollection.Name)]
public sealed class ComposeLifecycleTests(DaemonFixture daemon)
{
    private const string WebAndClient = """
        services:
          api:
            image: busybox:latest
            command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
          client:
            image: busybox:latest
            command: ["sleep", "3600"]
        """;

    [RootFact(E2E.Docker)]
    public async Task Scale_UpFlagAndScaleCommand_GiveReachableReplicas()
    {
        await using var p = new ComposeDir(daemon, "scale");
        p.Write("compose.yaml", WebAndClient);
        (await p.ComposeAsync("up", "-d", "--scale", "api=3")).Ok("up --scale");
        var names = await p.ProjectContainersAsync();
        Assert.Equal([$"{p.Project}-api-1", $"{p.Project}-api-2", $"{p.Project}-api-3", $"{p.Project}-client-1"], names);
        var hostnames = new HashSet<string>();
        for (var i = 1; i <= 3; i++)
        {
            var r = (await p.ExecAsync("client", "wget", "-q", "-O-", $"http://{p.Project}-api-{i}:8080/")).Ok($"replica {i}");
            hostnames.Add(r.Stdout.Trim());
        }
        Assert.Equal(3, hostnames.Count);
        // The service name answers with every replica.
        var lookup = (await p.ExecAsync("client", "nslookup", "api")).Ok("nslookup api").Stdout;
        Assert.Equal(3, lookup.Split('\n').Count(l => l.StartsWith("Address", StringComparison.Ordinal) && !l.Contains("127.0.0.11", StringComparison.Ordinal)));

        (await p.ComposeAsync("scale", "api=1")).Ok("scale api=1");
        Assert.Equal([$"{p.Project}-api-1", $"{p.Project}-client-1"], await p.ProjectContainersAsync());
        (await p.ComposeAsync("scale", "api=3")).Ok("scale api=3");
        Assert.Equal(3, (await p.ProjectContainersAsync(all: false)).Count(n => n.Contains("-api-", StringComparison.Ordinal)));
        (await p.ExecAsync("client", "wget", "-q", "-O-", $"http://{p.Project}-api-3:8080/")).Ok("new replica 3");
    }

    [RootFact(E2E.Docker)]
    public async Task UpTwice_KeepsUnchanged_RecreatesChanged()
    {
        await using var p = new ComposeDir(daemon, "conv");
        p.Write("compose.yaml", WebAndClient);
        (await p.ComposeAsync("up", "-d")).Ok("up");
        var api = await p.ContainerIdAsync($"{p.Project}-api-1");
        var client = await p.ContainerIdAsync($"{p.Project}-client-1");

        var again = (await p.ComposeAsync("up", "-d")).Ok("up again");
        Assert.Contains($"Container {p.Project}-api-1  Running", again.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Recreate", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(api, await p.ContainerIdAsync($"{p.Project}-api-1"));

        p.Write("compose.yaml", WebAndClient.Replace("command: [\"sleep\", \"3600\"]", "command: [\"sleep\", \"3601\"]", StringComparison.Ordinal));
        var changed = (await p.ComposeAsync("up", "-d")).Ok("up changed");
        Assert.Contains($"Container {p.Project}-client-1  Recreated", changed.Stderr, StringComparison.Ordinal);
        Assert.Equal(api, await p.ContainerIdAsync($"{p.Project}-api-1"));
        Assert.NotEqual(client, await p.ContainerIdAsync($"{p.Project}-client-1"));

        var forced = (await p.ComposeAsync("up", "-d", "--force-recreate", "api")).Ok("force-recreate");
        Assert.Contains($"Container {p.Project}-api-1  Recreated", forced.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(api, await p.ContainerIdAsync($"{p.Project}-api-1"));
    }

    [RootFact(E2E.Docker)]
    public async Task MalformedFile_ErrorNamesKeyAndLine_CreatesNothing()
    {
        await using var p = new ComposeDir(daemon, "bad");
        p.Write("compose.yaml", "services:\n  api:\n    image: busybox:latest\n    ports: 8080\n  db:\n    image: busybox:latest\n    volumes: [data:/data]\n" +
            "volumes:\n  data:\n");
        var r = await p.ComposeAsync("up", "-d");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("compose.yaml:4: services.api.ports: must be a list", r.Stderr, StringComparison.Ordinal);
        Assert.Empty(await p.ProjectContainersAsync());
        Assert.NotEqual(0, (await p.DockerAsync("network", "inspect", $"{p.Project}_default")).ExitCode);
        Assert.NotEqual(0, (await p.DockerAsync("volume", "inspect", $"{p.Project}_data")).ExitCode);
    }

    [RootFact(E2E.Docker)]
    public async Task RunExecLogsAndDownWithoutFile()
    {
        await using var p = new ComposeDir(daemon, "run");
        p.Write("compose.yaml", """
            services:
              echo:
                image: busybox:latest
                command: ["sh", "-c", "echo line-one; echo line-two; exec sleep 3600"]
            """);
        (await p.ComposeAsync("up", "-d")).Ok("up");
        var logs = await E2E.EventuallyAsync(() => p.ComposeAsync("logs"), r => r.Stdout.Contains("line-two", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "logs");
        Assert.Contains("echo-1  | line-one\n", logs.Stdout, StringComparison.Ordinal);
        Assert.Equal("hi\n", (await p.ExecAsync("echo", "echo", "hi")).Ok("exec").Stdout);
        var run = (await p.ComposeAsync("run", "--rm", "-T", "echo", "sh", "-c", "echo from-run; exit 3"));
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("from-run", run.Stdout, StringComparison.Ordinal);
        Assert.Equal([$"{p.Project}-echo-1"], await p.ProjectContainersAsync());
        var ls = (await p.ComposeAsync("ls")).Ok("ls");
        Assert.Contains(p.Project, ls.Stdout, StringComparison.Ordinal);
        // down -p without a file works from labels alone.
        (await daemon.RunBerthAsync(["compose", "-p", p.Project, "down", "-t", "1"])).Ok("down -p");
        Assert.Empty(await p.ProjectContainersAsync());
    }

    /// <summary><c>-f -</c>: the file comes from stdin; the project directory (relative paths, default name) is the working directory.</summary>
    [RootFact(E2E.Docker)]
    public async Task ComposeFileFromStdin_ProjectDirectoryIsTheWorkingDirectory()
    {
        await using var p = new ComposeDir(daemon, "stdin");
        p.Write("site/index.html", "from-stdin-project\n");
        const string yaml = """
            services:
              web:
                image: busybox:latest
                command: ["sleep", "3600"]
                volumes:
                  - ./site:/www
            """;
        // No -p: the name comes from the working directory, as the relative bind does.
        Task<CommandResult> InDir(params string[] args) => daemon.RunAsync("/bin/sh",
            ["-c", "cd \"$1\" && shift && exec \"$@\"", "sh", p.Dir, RepoPaths.Berth, "-H", daemon.DockerHost, "compose", "-f", "-", .. args],
            stdin: yaml, timeout: TimeSpan.FromSeconds(90));
        (await InDir("up", "-d")).Ok("up from stdin");
        Assert.Equal("from-stdin-project\n", (await p.ExecAsync("web", "cat", "/www/index.html")).Ok("bind resolved against cwd").Stdout);
        var labels = (await p.DockerAsync("inspect", "-f", "{{index .Config.Labels \"com.docker.compose.project.config_files\"}} {{index .Config.Labels \"com.docker.compose.project.working_dir\"}}",
            $"{p.Project}-web-1")).Ok("labels").Stdout;
        Assert.Equal($"- {p.Dir}\n", labels);
        Assert.Contains($"{p.Project}-web-1", (await InDir("ps")).Ok("ps from stdin").Stdout, StringComparison.Ordinal);
    }

    /// <summary>Debian's docker-compose 1.29 (Engine API only) brings the same kind of project up and down against berthd.</summary>
    [RootFact(E2E.Docker, "/usr/bin/docker-compose")]
    public async Task DockerCompose129_UpPsDown()
    {
        await using var p = new ComposeDir(daemon, "dc129");
        p.Write("compose.yaml", $"""
            version: "3.8"
            services:
              api:
                image: busybox:latest
                command: ["sh", "-c", "mkdir -p /www && echo v1 > /www/index.html && exec httpd -f -p 8080 -h /www"]
                depends_on:
                  - db
              db:
                image: busybox:latest
                command: ["sleep", "3600"]
                volumes:
                  - data:/data
            volumes:
              data:
            """);
        var env = new[] { "-f", p.ComposeFile, "-p", p.Project };
        var up = await daemon.RunAsync("/usr/bin/docker-compose", [.. env, "up", "-d"], timeout: TimeSpan.FromSeconds(90));
        up.Ok("docker-compose up");
        var names = await p.ProjectContainersAsync();
        Assert.Equal([$"{p.Project}_api_1", $"{p.Project}_db_1"], names);
        Assert.Contains("v1", (await daemon.RunDockerAsync(["exec", $"{p.Project}_db_1", "wget", "-q", "-O-", "http://api:8080/"])).Ok("db -> api").Stdout, StringComparison.Ordinal);
        // Berth's compose sees the project docker-compose made.
        var ps = (await p.ComposeAsync("ps")).Ok("berth compose ps");
        Assert.Contains($"{p.Project}_api_1", ps.Stdout, StringComparison.Ordinal);
        (await daemon.RunAsync("/usr/bin/docker-compose", [.. env, "ps"], timeout: TimeSpan.FromSeconds(60))).Ok("docker-compose ps");
        (await daemon.RunAsync("/usr/bin/docker-compose", [.. env, "down", "-v", "-t", "1"], timeout: TimeSpan.FromSeconds(90))).Ok("docker-compose down");
        Assert.Empty(await p.ProjectContainersAsync());
    }
}
