using System.Text.Json;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Compose;

/// <summary>
/// The seeds' Compose files, brought up with <c>berth compose</c>. Only images unavailable offline are swapped: web apps
/// become busybox httpd images built from the file's <c>build</c>, postgres a busybox "db" whose CMD-SHELL health check
/// passes after a delay, redis a busybox loop.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class ComposeSeedTests(DaemonFixture daemon)
{
    /// <summary>Seed 000's file: postgres swapped for <see cref="ComposeDir.SlowDb"/>, 8080:8080 for an ephemeral host port.</summary>
    private static readonly string Seed000File = $"""
            services:
              api:
                build: .
                ports: ["8080"]
                environment:
                  DATABASE_URL: postgres://app:secret@db:5432/app
                depends_on:
                  db:
                    condition: service_healthy
              db:
            {ComposeDir.SlowDb("1.5")}
                volumes: [pgdata:/var/lib/postgresql/data]
            volumes:
              pgdata:
            """;

    /// <summary>Seed 000: api built from ".", db with a health check and a named volume; api waits for db healthy.</summary>
    [RootFact(E2E.Docker)]
    public async Task Seed000_ApiWaitsForHealthyDb_AndResolvesItByName()
    {
        await using var p = new ComposeDir(daemon, "seed0");
        p.Write("Dockerfile", ComposeDir.HttpDockerfile).Write("compose.yaml", Seed000File);
        var up = (await p.ComposeAsync("up", "-d")).Ok("up");
        Assert.Contains($"Network {p.Project}_default  Created", up.Stderr, StringComparison.Ordinal);
        Assert.Contains($"Volume {p.Project}_pgdata  Created", up.Stderr, StringComparison.Ordinal);
        Assert.Contains($"Container {p.Project}-db-1  Healthy", up.Stderr, StringComparison.Ordinal);
        Assert.Contains($"Container {p.Project}-api-1  Started", up.Stderr, StringComparison.Ordinal);

        // depends_on service_healthy: api started only after db's check passed.
        var dbHealth = await InspectAsync($"{p.Project}-db-1");
        var apiState = await InspectAsync($"{p.Project}-api-1");
        var healthyAt = dbHealth.GetProperty("State").GetProperty("Health").GetProperty("Log").EnumerateArray()
            .First(l => l.GetProperty("ExitCode").GetInt32() == 0).GetProperty("End").GetDateTimeOffset();
        var apiStarted = apiState.GetProperty("State").GetProperty("StartedAt").GetDateTimeOffset();
        Assert.True(apiStarted >= healthyAt, $"api started at {apiStarted:O}, before db was healthy at {healthyAt:O}");
        Assert.Contains("DATABASE_URL=postgres://app:secret@db:5432/app", apiState.GetProperty("Config").GetProperty("Env").EnumerateArray().Select(e => e.GetString()));

        // Name resolution both ways on the project network, and the published port from the host.
        Assert.Contains("served-by-app", (await p.ExecAsync("db", "wget", "-q", "-O-", "http://api:8080/")).Ok("db -> api").Stdout, StringComparison.Ordinal);
        (await p.ExecAsync("api", "ping", "-c", "1", "-W", "2", "db")).Ok("api -> db");
        // ports: ["8080"] publishes on an ephemeral host port; compose port finds it.
        var hostPort = (await p.ComposeAsync("port", "api", "8080")).Ok("compose port").Stdout.Trim().Split(':')[^1];
        var curl = await daemon.RunAsync("curl", ["-s", "--max-time", "5", $"http://127.0.0.1:{hostPort}/"]);
        Assert.Contains("served-by-app", curl.Ok("curl published port").Stdout, StringComparison.Ordinal);

        var labels = apiState.GetProperty("Config").GetProperty("Labels");
        Assert.Equal(p.Project, labels.GetProperty("com.docker.compose.project").GetString());
        Assert.Equal("api", labels.GetProperty("com.docker.compose.service").GetString());
        Assert.Equal("1", labels.GetProperty("com.docker.compose.container-number").GetString());
        Assert.Equal("db:service_healthy:false", labels.GetProperty("com.docker.compose.depends_on").GetString());

        var ps = (await p.ComposeAsync("ps")).Ok("ps");
        Assert.Contains($"{p.Project}-api-1", ps.Stdout, StringComparison.Ordinal);
        Assert.Contains("(healthy)", ps.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Seed 001: two networks, the backend one internal; frontend and api built (frontend with a target).</summary>
    [RootFact(E2E.Docker)]
    public async Task Seed001_InternalBackendNetwork_HasNoWayOut_AndSplitsNames()
    {
        await using var p = new ComposeDir(daemon, "seed1");
        p.Write("frontend/Dockerfile", "FROM busybox:latest AS base\nRUN mkdir -p /www && echo frontend > /www/index.html\nFROM base AS production\nCMD [\"httpd\", \"-f\", \"-p\", \"3000\", \"-h\", \"/www\"]\nFROM base AS development\nCMD [\"false\"]\n")
            .Write("backend/Dockerfile", ComposeDir.HttpDockerfile)
            .Write("init.sql", "select 1;\n")
            .Write("compose.yaml", $"""
            name: myapp
            services:
              frontend:
                build:
                  context: ./frontend
                  target: production
                ports:
                  - "13000:3000"
                environment:
                  - REACT_APP_API_URL=http://localhost:8080
                depends_on:
                  - api
                networks:
                  - frontend-net
              api:
                build: ./backend
                environment:
                  - DATABASE_URL=postgres://user:pass@db:5432/mydb
                  - REDIS_URL=redis://cache:6379
                depends_on:
                  db:
                    condition: service_healthy
                  cache:
                    condition: service_started
                networks:
                  - frontend-net
                  - backend-net
                restart: unless-stopped
              db:
            {ComposeDir.SlowDb("0.5")}
                volumes:
                  - postgres_data:/var/lib/postgresql/data
                  - ./init.sql:/docker-entrypoint-initdb.d/init.sql
                environment:
                  POSTGRES_DB: mydb
                networks:
                  - backend-net
              cache:
                image: busybox:latest
                command: sh -c "mkdir -p /data && echo PONG > /data/index.html && exec httpd -f -p 6379 -h /data"
                volumes:
                  - redis_data:/data
                networks:
                  - backend-net
            volumes:
              postgres_data:
              redis_data:
            networks:
              frontend-net:
                driver: bridge
              backend-net:
                driver: bridge
                internal: true # no external access
            """);
        (await p.ComposeAsync("up", "-d")).Ok("up");
        var network = (await p.DockerAsync("network", "inspect", "-f", "{{.Internal}} {{index .Labels \"com.docker.compose.network\"}}", $"{p.Project}_backend-net")).Ok("network inspect");
        Assert.Equal("true backend-net\n", network.Stdout);

        Assert.Contains("frontend", (await p.ExecAsync("api", "wget", "-q", "-O-", "http://frontend:3000/")).Ok("api -> frontend").Stdout, StringComparison.Ordinal);
        Assert.Contains("served-by-app", (await p.ExecAsync("db", "wget", "-q", "-O-", "http://api:8080/")).Ok("db -> api").Stdout, StringComparison.Ordinal);
        Assert.Equal("PONG\n", (await p.ExecAsync("api", "wget", "-q", "-O-", "http://cache:6379/")).Ok("api -> cache").Stdout);
        Assert.Equal("select 1;\n", (await p.ExecAsync("db", "cat", "/docker-entrypoint-initdb.d/init.sql")).Ok("bind mount").Stdout);
        // frontend is not on backend-net, so db is not a name it knows.
        Assert.NotEqual(0, (await p.ExecAsync("frontend", "ping", "-c", "1", "-W", "1", "db")).ExitCode);

        // The internal network: db has no route out, while api (also on frontend-net) has one.
        var dbRoutes = (await p.ExecAsync("db", "ip", "route")).Ok("db routes").Stdout;
        Assert.DoesNotContain("default", dbRoutes, StringComparison.Ordinal);
        Assert.Contains("default", (await p.ExecAsync("frontend", "ip", "route")).Ok("frontend routes").Stdout, StringComparison.Ordinal);
        var gateway = (await p.DockerAsync("network", "inspect", "-f", "{{(index .IPAM.Config 0).Gateway}}", $"{p.Project}_frontend-net")).Ok("gateway").Stdout.Trim();
        var escape = await p.ExecAsync("db", "wget", "-q", "-T", "2", "-O-", "http://1.1.1.1/");
        Assert.NotEqual(0, escape.ExitCode);
        Assert.NotEqual(0, (await p.ExecAsync("db", "ping", "-c", "1", "-W", "1", gateway)).ExitCode);
    }

    /// <summary>Seeds 003/004: named volumes survive down/up and go with down -v.</summary>
    [RootFact(E2E.Docker)]
    public async Task Seed004_NamedVolumes_SurviveDownUp_GoWithDownV()
    {
        await using var p = new ComposeDir(daemon, "seed4");
        p.Write("app/index.html", "dev\n").Write("Dockerfile", ComposeDir.HttpDockerfile).Write("compose.yaml", """
            services:
              api:
                build: .
                environment:
                  - DATABASE_URL=postgres://user:pass@db:5432/mydb
                  - REDIS_URL=redis://cache:6379
                depends_on:
                  - db
                  - cache
                volumes:
                  - ./app:/www
              db:
                image: busybox:latest
                command: ["sleep", "3600"]
                environment:
                  - POSTGRES_USER=user
                volumes:
                  - postgres-data:/var/lib/postgresql/data
              cache:
                image: busybox:latest
                command: ["sleep", "3600"]
                volumes:
                  - redis-data:/data
            volumes:
              postgres-data:
              redis-data:
            """);
        (await p.ComposeAsync("up", "-d")).Ok("up");
        Assert.Equal("dev\n", (await p.ExecAsync("db", "wget", "-q", "-O-", "http://api:8080/")).Ok("bind-mounted site").Stdout);
        (await p.ExecAsync("db", "sh", "-c", "echo kept > /var/lib/postgresql/data/row")).Ok("write");
        (await p.ComposeAsync("down")).Ok("down");
        Assert.Empty(await p.ProjectContainersAsync());
        (await p.ComposeAsync("up", "-d")).Ok("up again");
        Assert.Equal("kept\n", (await p.ExecAsync("db", "cat", "/var/lib/postgresql/data/row")).Ok("read back").Stdout);

        var down = (await p.ComposeAsync("down", "-v")).Ok("down -v");
        Assert.Contains($"Volume {p.Project}_postgres-data  Removed", down.Stderr, StringComparison.Ordinal);
        var volumes = (await p.DockerAsync("volume", "ls", "-q", "--filter", "label=com.docker.compose.project=" + p.Project)).Ok("volume ls");
        Assert.Equal("", volumes.Stdout);
        Assert.NotEqual(0, (await p.DockerAsync("network", "inspect", $"{p.Project}_default")).ExitCode);
    }

    /// <summary>Seed 003: web built from "." on port 80, db with a named volume, list-form depends_on.</summary>
    [RootFact(E2E.Docker)]
    public async Task Seed003_WebAndDb_ResolveEachOther_PublishedPortAnswers()
    {
        await using var p = new ComposeDir(daemon, "seed3");
        p.Write("Dockerfile", "FROM busybox:latest\nRUN mkdir -p /www && echo seed3-web > /www/index.html\nCMD [\"httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/www\"]\n")
            .Write("compose.yaml", """
            services:
              web:
                build: .
                ports:
                  - "80"
                depends_on:
                  - db
                environment:
                  DATABASE_URL: postgres://app:secret@db:5432/app
              db:
                image: busybox:latest
                command: ["sleep", "3600"]
                environment:
                  POSTGRES_USER: app
                  POSTGRES_PASSWORD: secret
                  POSTGRES_DB: app
                volumes:
                  - pgdata:/var/lib/postgresql/data
            volumes:
              pgdata:
            """);
        var up = (await p.ComposeAsync("up", "-d")).Ok("up");
        Assert.Contains($"Volume {p.Project}_pgdata  Created", up.Stderr, StringComparison.Ordinal);
        Assert.Equal([$"{p.Project}-db-1", $"{p.Project}-web-1"], await p.ProjectContainersAsync(all: false));
        Assert.Equal("seed3-web\n", (await p.ExecAsync("db", "wget", "-q", "-O-", "http://web/")).Ok("db -> web").Stdout);
        (await p.ExecAsync("web", "ping", "-c", "1", "-W", "2", "db")).Ok("web -> db");
        var hostPort = (await p.ComposeAsync("port", "web", "80")).Ok("compose port").Stdout.Trim().Split(':')[^1];
        var curl = await daemon.RunAsync("curl", ["-s", "--max-time", "5", $"http://127.0.0.1:{hostPort}/"]);
        Assert.Equal("seed3-web\n", curl.Ok("curl published port").Stdout);
    }

    /// <summary>Debian's docker-compose 1.29 brings seed 000's file up against berthd: build, health-gated start, names.</summary>
    [RootFact(E2E.Docker, "/usr/bin/docker-compose")]
    public async Task Seed000_WithDockerCompose129()
    {
        await using var p = new ComposeDir(daemon, "seed0dc");
        p.Write("Dockerfile", ComposeDir.HttpDockerfile).Write("compose.yaml", Seed000File);
        Task<CommandResult> DockerCompose(params string[] args) =>
            daemon.RunAsync("/usr/bin/docker-compose", ["-f", p.ComposeFile, "-p", p.Project, .. args], timeout: TimeSpan.FromSeconds(120));
        try
        {
            (await DockerCompose("up", "-d")).Ok("docker-compose up");
            var db = await InspectAsync($"{p.Project}_db_1");
            Assert.Equal("healthy", db.GetProperty("State").GetProperty("Health").GetProperty("Status").GetString());
            Assert.Contains("served-by-app", (await daemon.RunDockerAsync(["exec", $"{p.Project}_db_1", "wget", "-q", "-O-", "http://api:8080/"])).Ok("db -> api").Stdout,
                StringComparison.Ordinal);
            Assert.Contains($"{p.Project}_api_1", (await p.ComposeAsync("ps")).Ok("berth compose ps").Stdout, StringComparison.Ordinal);
        }
        finally
        {
            (await DockerCompose("down", "-v", "--rmi", "local", "-t", "1")).Ok("docker-compose down");
        }
        Assert.Empty(await p.ProjectContainersAsync());
    }

    private async Task<JsonElement> InspectAsync(string container)
    {
        var r = (await daemon.RunDockerAsync(["inspect", container])).Ok("inspect " + container);
        using var doc = JsonDocument.Parse(r.Stdout);
        return doc.RootElement[0].Clone();
    }
}
