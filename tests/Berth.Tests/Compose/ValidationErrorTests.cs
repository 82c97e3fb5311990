using Berth.Compose;

namespace Berth.Tests.Compose;

public sealed class ValidationErrorTests : IDisposable
{
    private readonly ComposeTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Error(string yaml) => Assert.Throws<ComposeException>(() => _dir.Text(yaml)).Message;

    [Theory]
    [InlineData("services:\n  api:\n    image: x\n    ports:\n      - abc\n", "compose.yaml:5: services.api.ports[0]: invalid port \"abc\"")]
    [InlineData("services:\n  api:\n    image: x\n    imagee: y\n", "compose.yaml:4: services.api: additional property \"imagee\" is not allowed")]
    [InlineData("servics:\n  api:\n    image: x\n", "compose.yaml:1: (root): additional property \"servics\" is not allowed")]
    [InlineData("services:\n  api:\n    image: x\n    build:\n      contxt: .\n", "compose.yaml:5: services.api.build: additional property \"contxt\" is not allowed")]
    [InlineData("services:\n  api:\n    image: x\n    ports: \"80:80\"\n", "compose.yaml:4: services.api.ports: must be a list, not a string")]
    [InlineData("services:\n  api:\n    image: [x]\n", "compose.yaml:3: services.api.image: must be a string, not a sequence")]
    [InlineData("services:\n  api:\n    image: x\n    read_only: maybe\n", "compose.yaml:4: services.api.read_only: invalid boolean \"maybe\"")]
    [InlineData("services:\n  api:\n    image: x\n    healthcheck:\n      interval: soon\n", "compose.yaml:5: services.api.healthcheck.interval: invalid duration \"soon\"")]
    [InlineData("services:\n  api:\n    image: x\n    mem_limit: lots\n", "compose.yaml:4: services.api.mem_limit: invalid size \"lots\"")]
    [InlineData("services:\n  api:\n    image: x\n    restart: sometimes\n", "compose.yaml:4: services.api.restart: invalid restart policy \"sometimes\"")]
    [InlineData("services:\n  api:\n    image: x\n    ports: [\"8000-8002:80-81\"]\n", "compose.yaml:4: services.api.ports[0]: invalid ranges specified for container and host ports: 8000-8002:80-81")]
    [InlineData("services:\n  api:\n    image: x\n    volumes: [\"a:b:c:d\"]\n", "compose.yaml:4: services.api.volumes[0]: invalid spec: a:b:c:d: too many colons")]
    [InlineData("services:\n  api:\n    image: x\n    healthcheck:\n      test: [\"curl\"]\n", "compose.yaml:5: services.api.healthcheck.test: healthcheck.test must start either by \"CMD\", \"CMD-SHELL\" or \"NONE\"")]
    [InlineData("services:\n  api:\n    image: x\n    depends_on:\n      db:\n        condition: service_ready\n  db:\n    image: y\n", "compose.yaml:6: services.api.depends_on.db.condition: invalid condition \"service_ready\"")]
    public void Malformed_ErrorsNameFileLineAndPath(string yaml, string expected) => Assert.Equal(expected, Error(yaml));

    [Fact]
    public void YamlSyntaxError_HasLine()
    {
        var msg = Error("services:\n  api:\n    image: x\n   bad: [\n");
        Assert.StartsWith("compose.yaml:", msg);
        Assert.Contains("yaml:", msg);
    }

    [Fact]
    public void DuplicateKey_IsAnError() => Assert.Contains("compose.yaml:4: yaml: Duplicate key image", Error("services:\n  api:\n    image: x\n    image: y\n"));

    [Theory]
    [InlineData("services:\n  a:\n    image: x\n    depends_on: [nope]\n", "service \"a\" depends on undefined service \"nope\": invalid compose project")]
    [InlineData("services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on: [c]\n  c:\n    image: x\n    depends_on: [a]\n", "dependency cycle detected: a -> b -> c -> a")]
    [InlineData("services:\n  a:\n    image: x\n    networks: [nope]\n", "service \"a\" refers to undefined network nope: invalid compose project")]
    [InlineData("services:\n  a:\n    image: x\n    volumes: [\"data:/data\"]\n", "service \"a\" refers to undefined volume data: invalid compose project")]
    [InlineData("services:\n  a:\n    image: x\n    secrets: [pw]\n", "service \"a\" refers to undefined secret pw: invalid compose project")]
    [InlineData("services:\n  a:\n    build: {}\n    image: x\n    network_mode: host\n    networks: [n]\nnetworks:\n  n:\n", "service a declares mutually exclusive `network_mode` and `networks`: invalid compose project")]
    [InlineData("services:\n  a:\n    restart: always\n", "service \"a\" has neither an image nor a build context specified: invalid compose project")]
    [InlineData("services:\n  a:\n    image: x\n    scale: 2\n    deploy:\n      replicas: 3\n", "services.a: can't set distinct values on 'scale' and 'deploy.replicas': invalid compose project")]
    [InlineData("", "empty compose file")]
    public void CrossReferences_InDockerWords(string yaml, string expected) => Assert.Equal(expected, Error(yaml));

    [Fact]
    public void OptionalDependencyOnMissingService_IsDropped()
    {
        var p = _dir.Text("services:\n  a:\n    image: x\n    depends_on:\n      b:\n        condition: service_started\n        required: false\n");
        Assert.Empty(p.Services["a"].DependsOn);
    }

    [Fact]
    public void UnsupportedButKnownKey_IsAWarning()
    {
        var p = _dir.Text("version: \"3.8\"\nservices:\n  a:\n    image: x\n    oom_score_adj: 5\n");
        Assert.Contains(p.Warnings, w => w.Contains("services.a.oom_score_adj", StringComparison.Ordinal));
        Assert.Contains(p.Warnings, w => w.Contains("`version` is obsolete", StringComparison.Ordinal));
    }
}
