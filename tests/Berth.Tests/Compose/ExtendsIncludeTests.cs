using Berth.Compose;

namespace Berth.Tests.Compose;

public sealed class ExtendsIncludeTests : IDisposable
{
    private readonly ComposeTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Extends_SameFile_MergesBaseUnderService()
    {
        var p = _dir.Text("""
            services:
              base:
                image: app
                environment: {A: base, B: base}
                command: base
                ports: ["80:80"]
              mid:
                extends: base
                environment: {B: mid}
              web:
                extends:
                  service: mid
                command: web
                ports: ["81:81"]
            """);
        var w = p.Services["web"];
        Assert.Equal("app", w.Image);
        Assert.Equal(("base", "mid"), (w.Environment["A"], w.Environment["B"]));
        Assert.Equal(["web"], w.Command);
        Assert.Equal(["80", "81"], w.Ports.Select(x => x.Published));
    }

    [Fact]
    public void Extends_OtherFile_ResolvesPathsAgainstThatFile()
    {
        _dir.Write("common/base.yml", "services:\n  tmpl:\n    build: ./ctx\n    env_file: vars.env\n    volumes: [\"./data:/data\"]\n");
        _dir.Write("common/vars.env", "FROM_FILE=yes\n");
        var p = _dir.Text("services:\n  web:\n    extends:\n      file: common/base.yml\n      service: tmpl\n    image: web\n");
        var w = p.Services["web"];
        Assert.Equal(Path.Join(_dir.Root, "common", "ctx"), w.Build!.Context);
        Assert.Equal(Path.Join(_dir.Root, "common", "data"), w.Volumes[0].Source);
        Assert.Equal("yes", w.Environment["FROM_FILE"]);
    }

    [Fact]
    public void Extends_Cycle_Throws()
    {
        var ex = Assert.Throws<ComposeException>(() => _dir.Text("services:\n  a:\n    extends: b\n  b:\n    extends: a\n    image: x\n"));
        Assert.Contains("circular reference with extends", ex.Message);
    }

    [Fact]
    public void Extends_UnknownService_Throws()
    {
        var ex = Assert.Throws<ComposeException>(() => _dir.Text("services:\n  a:\n    image: x\n    extends: nope\n"));
        Assert.Contains("service \"nope\" not found", ex.Message);
    }

    [Fact]
    public void Include_ImportsResources_WithOwnProjectDirectoryAndEnv()
    {
        _dir.Write("db/compose.yaml", "services:\n  db:\n    image: postgres:${PG_VERSION}\n    volumes: [\"./init:/init\", \"dbdata:/var/lib\"]\nvolumes:\n  dbdata:\n");
        _dir.Write("db/.env", "PG_VERSION=16\n");
        var p = _dir.Text("include:\n  - db/compose.yaml\nservices:\n  web:\n    image: web\n    depends_on: [db]\n");
        Assert.Equal("postgres:16", p.Services["db"].Image);
        Assert.Equal(Path.Join(_dir.Root, "db", "init"), p.Services["db"].Volumes[0].Source);
        Assert.Equal("proj_dbdata", p.Volumes["dbdata"].Name);
    }

    [Fact]
    public void Include_LongFormWithEnvFileAndProjectDirectory()
    {
        _dir.Write("inc/svc.yaml", "services:\n  svc:\n    image: ${IMG}\n    build: .\n");
        _dir.Write("inc.env", "IMG=from-include-env\n");
        var p = _dir.Text("include:\n  - path: inc/svc.yaml\n    project_directory: other\n    env_file: inc.env\n");
        Assert.Equal("from-include-env", p.Services["svc"].Image);
        Assert.Equal(Path.Join(_dir.Root, "other"), p.Services["svc"].Build!.Context);
    }

    [Fact]
    public void Include_Conflict_Throws()
    {
        _dir.Write("inc.yaml", "services:\n  web:\n    image: a\n");
        var ex = Assert.Throws<ComposeException>(() => _dir.Text("include: [inc.yaml]\nservices:\n  web:\n    image: b\n"));
        Assert.Contains("defines conflicting service web", ex.Message);
    }

    [Fact]
    public void Include_Cycle_Throws()
    {
        _dir.Write("a.yaml", "include: [b.yaml]\nservices:\n  a:\n    image: a\n");
        _dir.Write("b.yaml", "include: [a.yaml]\nservices:\n  b:\n    image: b\n");
        var ex = Assert.Throws<ComposeException>(() => _dir.Text("include: [a.yaml]\nservices:\n  web:\n    image: b\n"));
        Assert.Contains("include cycle detected", ex.Message);
    }
}
