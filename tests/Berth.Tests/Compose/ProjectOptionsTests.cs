using Berth.Compose;

namespace Berth.Tests.Compose;

public sealed class ProjectOptionsTests : IDisposable
{
    private readonly ComposeTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Yaml = "name: From_File\nservices:\n  web:\n    image: x\n";

    [Fact]
    public void Name_Precedence()
    {
        Assert.Equal("cli", ComposeLoader.LoadFromText(Yaml, _dir.Options(new() { ["COMPOSE_PROJECT_NAME"] = "envname" }) with { ProjectName = "cli" }).Name);
        Assert.Equal("envname", ComposeLoader.LoadFromText(Yaml, _dir.Options(new() { ["COMPOSE_PROJECT_NAME"] = "envname" })).Name);
        Assert.Equal("from_file", ComposeLoader.LoadFromText(Yaml, _dir.Options()).Name);
        Assert.Equal("proj", ComposeLoader.LoadFromText("services:\n  web:\n    image: x\n", _dir.Options()).Name);
    }

    [Fact]
    public void Name_FromDotEnv()
    {
        _dir.Write(".env", "COMPOSE_PROJECT_NAME=dotenvname\n");
        Assert.Equal("dotenvname", _dir.Text("services:\n  web:\n    image: x\n").Name);
    }

    [Theory]
    [InlineData("My App")]
    [InlineData("_app")]
    [InlineData("app!")]
    public void Name_InvalidImperative_Throws(string name)
    {
        var ex = Assert.Throws<ComposeException>(() => ComposeLoader.LoadFromText(Yaml, _dir.Options() with { ProjectName = name }));
        Assert.Equal($"invalid project name \"{name}\": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number", ex.Message);
    }

    [Fact]
    public void Name_FromFile_IsNormalized()
        => Assert.Equal("myapp-_1", ComposeLoader.LoadFromText("name: \"-My App!-_1\"\nservices:\n  web:\n    image: x\n", _dir.Options()).Name);

    [Fact]
    public void ShellEnvironment_BeatsDotEnv()
    {
        _dir.Write(".env", "TAG=from-dotenv\nOTHER=dotenv-only\n");
        var p = _dir.Text("services:\n  web:\n    image: app:${TAG}\n    environment:\n      O: ${OTHER}\n", new() { ["TAG"] = "from-shell" });
        Assert.Equal("app:from-shell", p.Services["web"].Image);
        Assert.Equal("dotenv-only", p.Services["web"].Environment["O"]);
    }

    private const string ProfilesYaml = """
        services:
          web:
            image: web
          debug:
            image: dbg
            profiles: [debug]
          tools:
            image: tools
            profiles: [tools]
            depends_on: [helper]
          helper:
            image: helper
            profiles: [helper]
        """;

    [Fact]
    public void Profiles_NoneEnabled_OnlyUnprofiledServices()
    {
        var p = _dir.Text(ProfilesYaml);
        Assert.Equal(["web"], p.Services.Keys);
        Assert.Equal(["debug", "helper", "tools"], p.DisabledServices.Keys);
    }

    [Fact]
    public void Profiles_FromOptionAndEnvironment()
    {
        Assert.Equal(["debug", "web"], ComposeLoader.LoadFromText(ProfilesYaml, _dir.Options() with { Profiles = ["debug"] }).Services.Keys);
        Assert.Equal(["debug", "web"], ComposeLoader.LoadFromText(ProfilesYaml, _dir.Options(new() { ["COMPOSE_PROFILES"] = "debug" })).Services.Keys);
        Assert.Equal(4, ComposeLoader.LoadFromText(ProfilesYaml, _dir.Options() with { Profiles = ["*"] }).Services.Count);
    }

    [Fact]
    public void Profiles_DependencyOnDisabledService_Throws()
    {
        var ex = Assert.Throws<ComposeException>(() => ComposeLoader.LoadFromText(ProfilesYaml, _dir.Options() with { Profiles = ["tools"] }));
        Assert.Equal("service \"helper\" is required by \"tools\" but is disabled. Can be enabled by profiles [helper]", ex.Message);
    }

    [Fact]
    public void Profiles_ServiceNamedExplicitly_IsEnabledWithDependencies()
    {
        var p = ComposeLoader.LoadFromText(ProfilesYaml, _dir.Options() with { EnabledServices = ["tools"] });
        Assert.Equal(["helper", "tools", "web"], p.Services.Keys);
        var later = _dir.Text(ProfilesYaml).WithServicesEnabled(["debug"]);
        Assert.Contains("debug", later.Services.Keys);
        Assert.DoesNotContain("debug", later.DisabledServices.Keys);
    }
}
