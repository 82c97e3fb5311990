using Berth.Compose;

namespace Berth.Tests.Compose;

public sealed class MergeTests : IDisposable
{
    private readonly ComposeTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Discovery_FindsComposeYamlAndOverride()
    {
        _dir.Write("compose.yaml", "services:\n  web:\n    image: nginx\n    ports: [\"80:80\"]\n");
        _dir.Write("compose.override.yml", "services:\n  web:\n    image: nginx:alpine\n");
        var p = await _dir.LoadAsync();
        Assert.Equal("nginx:alpine", p.Services["web"].Image);
        Assert.Equal(2, p.ConfigFiles.Count);
        Assert.Equal(_dir.Root, p.WorkingDir);
    }

    [Fact]
    public async Task Discovery_SearchesParentDirectories()
    {
        _dir.Write("docker-compose.yml", "services:\n  web:\n    image: nginx\n");
        Directory.CreateDirectory(Path.Join(_dir.Root, "sub", "deeper"));
        var p = await ComposeLoader.LoadAsync(_dir.Options() with { WorkingDirectory = Path.Join(_dir.Root, "sub", "deeper") }, CancellationToken.None);
        Assert.Equal(_dir.Root, p.WorkingDir);
        Assert.Equal("proj", p.Name);
    }

    [Fact]
    public async Task Discovery_NothingFound_Throws()
    {
        var ex = await Assert.ThrowsAsync<ComposeException>(() => _dir.LoadAsync());
        Assert.Equal("no configuration file provided: not found", ex.Message);
    }

    [Fact]
    public async Task ComposeFileVariable_ListsFiles()
    {
        _dir.Write("a.yml", "services:\n  web:\n    image: a\n");
        _dir.Write("b.yml", "services:\n  web:\n    image: b\n");
        var p = await _dir.LoadAsync(_dir.Options(new() { ["COMPOSE_FILE"] = "a.yml:b.yml" }));
        Assert.Equal("b", p.Services["web"].Image);
    }

    [Fact]
    public async Task SeveralFiles_MergeByTheSpecRules()
    {
        _dir.Write("base.yml", """
            services:
              web:
                image: app:1
                command: ["run", "--base"]
                entrypoint: /bin/sh
                environment:
                  A: base
                  B: base
                labels: [l1=base]
                ports:
                  - "8080:80"
                  - "9090:90"
                volumes:
                  - data:/data
                  - ./a:/a
                expose: ["1"]
                dns: [1.1.1.1]
                depends_on: [db]
                networks: [front]
                healthcheck:
                  test: ["CMD", "true"]
                  interval: 5s
                ulimits:
                  nofile: {soft: 1, hard: 2}
                build:
                  context: .
                  args: [X=1]
              db:
                image: db
            networks:
              front:
            volumes:
              data:
            """);
        _dir.Write("over.yml", """
            services:
              web:
                command: run --over
                environment:
                  - B=over
                  - C=over
                labels:
                  l2: over
                ports:
                  - "8080:80"
                  - "7070:70"
                volumes:
                  - other:/data
                expose: ["1", "2"]
                dns: 8.8.8.8
                depends_on:
                  db:
                    condition: service_healthy
                networks:
                  back:
                    aliases: [w]
                healthcheck:
                  test: ["CMD", "false"]
                ulimits:
                  nofile: 5
                build: ./sub
              db:
                healthcheck:
                  test: exit 0
            networks:
              back:
            volumes:
              other:
            """);
        var p = await _dir.LoadAsync(_dir.Options() with { ConfigFiles = ["base.yml", "over.yml"] });
        var w = p.Services["web"];
        Assert.Equal(["run", "--over"], w.Command);
        Assert.Equal(["/bin/sh"], w.Entrypoint);
        Assert.Equal(("base", "over", "over"), (w.Environment["A"], w.Environment["B"], w.Environment["C"]));
        Assert.Equal(("base", "over"), (w.Labels["l1"], w.Labels["l2"]));
        Assert.Equal(["8080", "9090", "7070"], w.Ports.Select(x => x.Published));
        Assert.Equal(2, w.Volumes.Count);
        Assert.Equal(("other", "/data"), (w.Volumes[0].Source, w.Volumes[0].Target));
        Assert.Equal(["1", "2"], w.Expose);
        Assert.Equal(["1.1.1.1", "8.8.8.8"], w.Dns);
        Assert.Equal("service_healthy", w.DependsOn["db"].Condition);
        Assert.Equal(["back", "front"], w.Networks.Keys);
        Assert.Equal(["w"], w.Networks["back"].Aliases);
        Assert.Equal(["CMD", "false"], w.Healthcheck!.Test);
        Assert.Equal(TimeSpan.FromSeconds(5), w.Healthcheck.Interval);
        Assert.Equal(new Berth.Compose.Model.UlimitConfig(5, 5) { Single = true }, w.Ulimits["nofile"]);
        Assert.Equal(Path.Join(_dir.Root, "sub"), w.Build!.Context);
        Assert.Equal("1", w.Build.Args["X"]);
        Assert.Equal("db", p.Services["db"].Image);
        Assert.Equal(["CMD-SHELL", "exit 0"], p.Services["db"].Healthcheck!.Test);
    }

    [Fact]
    public async Task ResetAndOverrideTags()
    {
        _dir.Write("a.yml", "services:\n  web:\n    image: a\n    ports: [\"80:80\"]\n    environment:\n      A: 1\n      B: 2\n");
        _dir.Write("b.yml", "services:\n  web:\n    ports: !reset []\n    environment: !override\n      C: 3\n");
        var p = await _dir.LoadAsync(_dir.Options() with { ConfigFiles = ["a.yml", "b.yml"] });
        Assert.Empty(p.Services["web"].Ports);
        Assert.Equal(["C"], p.Services["web"].Environment.Keys);
    }

    [Fact]
    public async Task ProjectDirectory_AndEnvFileOption()
    {
        _dir.Write("conf/compose.yaml", "services:\n  web:\n    image: ${IMAGE}\n    build: ./ctx\n");
        _dir.Write("custom.env", "IMAGE=from-env-file\n");
        var p = await _dir.LoadAsync(_dir.Options() with { ConfigFiles = ["conf/compose.yaml"], ProjectDirectory = ".", EnvFiles = ["custom.env"] });
        Assert.Equal("from-env-file", p.Services["web"].Image);
        Assert.Equal(Path.Join(_dir.Root, "ctx"), p.Services["web"].Build!.Context);
        Assert.Equal("proj", p.Name);
    }

    [Fact]
    public async Task NullOverride_KeepsBaseMapping()
    {
        _dir.Write("a.yml", "services:\n  web:\n    image: a\n    volumes: [\"data:/d\"]\nvolumes:\n  data:\n    driver: local\n");
        _dir.Write("b.yml", "volumes:\n  data:\n");
        var p = await _dir.LoadAsync(_dir.Options() with { ConfigFiles = ["a.yml", "b.yml"] });
        Assert.Equal("local", p.Volumes["data"].Driver);
    }
}
