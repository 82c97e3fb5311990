using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Images;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Compose;

/// <summary>
/// The seeds' Compose cheat sheet, command by command: config, build, pull, up -d, ps, logs, exec, restart SERVICE, stop, start,
/// down. The pulled image comes from a `berth registry serve` on loopback (Docker Hub is out of reach).
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class ComposeCheatSheetTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker)]
    public async Task CheatSheetCommands_EachDoesWhatTheSeedsSay()
    {
        await using var registry = await RegistryProcess.StartAsync();
        var dbImage = $"{registry.Address}/cheat/busybox:1";
        await using var p = new ComposeDir(daemon, "cheat");
        try
        {
            (await daemon.RunBerthAsync(["tag", "busybox:latest", dbImage])).Ok("tag");
            (await daemon.RunBerthAsync(["push", dbImage], timeout: TimeSpan.FromSeconds(60))).Ok("push");
            (await daemon.RunBerthAsync(["rmi", dbImage])).Ok("rmi");
            p.Write("Dockerfile", ComposeDir.HttpDockerfile).Write("compose.yaml", $$"""
                services:
                  api:
                    build: .
                    depends_on: [db]
                  db:
                    image: {{dbImage}}
                    command: ["sh", "-c", "echo db-ready; exec sleep 3600"]
                """);

            // docker compose config  # Validate and print config
            var config = (await p.ComposeAsync("config")).Ok("config").Stdout;
            Assert.Contains($"name: {p.Project}", config);
            Assert.Contains($"image: {dbImage}", config);
            Assert.Contains("context: " + p.Dir, config);

            // docker compose build  # Build all service images
            (await p.ComposeAsync("build")).Ok("build");
            (await p.DockerAsync("image", "inspect", $"{p.Project}-api")).Ok("the built image");

            // docker compose pull  # Pull latest images
            Assert.NotEqual(0, (await p.DockerAsync("image", "inspect", dbImage)).ExitCode);
            (await p.ComposeAsync("pull")).Ok("pull");
            (await p.DockerAsync("image", "inspect", dbImage)).Ok("the pulled image");

            // docker compose up -d / ps / logs / exec
            (await p.ComposeAsync("up", "-d")).Ok("up -d");
            var ps = (await p.ComposeAsync("ps")).Ok("ps").Stdout;
            Assert.Contains($"{p.Project}-api-1", ps);
            Assert.Contains($"{p.Project}-db-1", ps);
            await E2E.EventuallyAsync(async () => (await p.ComposeAsync("logs", "db")).Stdout, s => s.Contains("db-ready", StringComparison.Ordinal),
                TimeSpan.FromSeconds(15), "db's log line");
            var served = (await p.ExecAsync("db", "wget", "-q", "-O-", "http://api:8080/")).Ok("db reaches api by name");
            Assert.Equal("served-by-app\n", served.Stdout);

            // docker compose restart api  # Restart specific service
            var apiStarted = await StartedAtAsync(p, "api");
            var dbStarted = await StartedAtAsync(p, "db");
            (await p.ComposeAsync("restart", "api")).Ok("restart api");
            Assert.NotEqual(apiStarted, await StartedAtAsync(p, "api"));
            Assert.Equal(dbStarted, await StartedAtAsync(p, "db"));

            // stop / start keep the containers; down removes them
            (await p.ComposeAsync("stop", "-t", "1")).Ok("stop");
            Assert.Empty(await p.ProjectContainersAsync(all: false));
            Assert.Equal(2, (await p.ProjectContainersAsync()).Count);
            (await p.ComposeAsync("start")).Ok("start");
            Assert.Equal(2, (await p.ProjectContainersAsync(all: false)).Count);
            (await p.ComposeAsync("down", "-t", "1")).Ok("down");
            Assert.Empty(await p.ProjectContainersAsync());
        }
        finally
        {
            await daemon.RunBerthAsync(["rmi", "-f", dbImage]);
        }
    }

    private static async Task<string> StartedAtAsync(ComposeDir p, string service) =>
        (await p.DockerAsync("inspect", "-f", "{{.State.StartedAt}}", $"{p.Project}-{service}-1")).Ok("inspect " + service).Stdout.Trim();
}
