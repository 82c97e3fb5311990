using Berth.Compose;
using Berth.Compose.Loader;

namespace Berth.Tests.Compose;

public sealed class InterpolatorTests
{
    private static readonly Dictionary<string, string> Env = new(StringComparer.Ordinal) { ["SET"] = "value", ["EMPTY"] = "", ["NAME"] = "SET" };

    private static string Sub(string template, List<string>? missing = null)
        => Interpolator.Substitute(template, (string n, out string v) => Env.TryGetValue(n, out v!), n => missing?.Add(n));

    [Theory]
    [InlineData("$SET", "value")]
    [InlineData("${SET}", "value")]
    [InlineData("a${SET}b$SET.c", "avalueb" + "value.c")]
    [InlineData("$$SET", "$SET")]
    [InlineData("$${SET}", "${SET}")]
    [InlineData("${UNSET:-def}", "def")]
    [InlineData("${EMPTY:-def}", "def")]
    [InlineData("${EMPTY-def}", "")]
    [InlineData("${UNSET-def}", "def")]
    [InlineData("${SET:-def}", "value")]
    [InlineData("${SET:+repl}", "repl")]
    [InlineData("${EMPTY:+repl}", "")]
    [InlineData("${EMPTY+repl}", "repl")]
    [InlineData("${UNSET+repl}", "")]
    [InlineData("${UNSET:-${SET}}", "value")]
    [InlineData("${UNSET:-${ALSO_UNSET:-deep}}", "deep")]
    [InlineData("${UNSET:-a-b:c}", "a-b:c")]
    [InlineData("${SET:?must be set}", "value")]
    [InlineData("${EMPTY?must be set}", "")]
    [InlineData("no vars", "no vars")]
    [InlineData("${UNSET}", "")]
    public void Substitute_Forms(string template, string expected) => Assert.Equal(expected, Sub(template));

    [Fact]
    public void Substitute_Unset_ReportsMissing()
    {
        var missing = new List<string>();
        Sub("$UNSET ${UNSET2}", missing);
        Assert.Equal(["UNSET", "UNSET2"], missing);
    }

    [Theory]
    [InlineData("${UNSET:?boom}", "required variable UNSET is missing a value: boom")]
    [InlineData("${EMPTY:?}", "required variable EMPTY is missing a value")]
    [InlineData("${UNSET?need ${SET}}", "required variable UNSET is missing a value: need value")]
    public void Substitute_Required_Throws(string template, string message)
        => Assert.Equal(message, Assert.Throws<InterpolationException>(() => Sub(template)).Message);

    [Theory]
    [InlineData("${")]
    [InlineData("${SET")]
    [InlineData("${}")]
    [InlineData("${1X}")]
    [InlineData("$")]
    [InlineData("cost $5")]
    [InlineData("${SET!x}")]
    public void Substitute_Invalid_Throws(string template)
        => Assert.Contains("invalid interpolation format", Assert.Throws<InterpolationException>(() => Sub(template)).Message);

    [Fact]
    public void Load_InterpolationError_NamesFileLineAndPath()
    {
        using var dir = new ComposeTestDirectory();
        var ex = Assert.Throws<ComposeException>(() => dir.Text("services:\n  web:\n    image: x\n    environment:\n      A: ${REQ:?set REQ}\n"));
        Assert.Equal("compose.yaml:5: services.web.environment.A: required variable REQ is missing a value: set REQ", ex.Message);
    }

    [Fact]
    public void Load_InterpolatesValuesNotKeys_AndCastsTypes()
    {
        using var dir = new ComposeTestDirectory();
        var p = dir.Text("services:\n  web:\n    image: ${IMG:-nginx}:${TAG}\n    read_only: ${RO}\n    ports:\n      - \"${PORT}:80\"\n    labels:\n      $KEY: v\n",
            new() { ["TAG"] = "1.2", ["RO"] = "true", ["PORT"] = "8080" });
        var s = p.Services["web"];
        Assert.Equal("nginx:1.2", s.Image);
        Assert.True(s.ReadOnly);
        Assert.Equal("8080", s.Ports[0].Published);
        Assert.True(s.Labels.ContainsKey("$KEY"));
        Assert.DoesNotContain(p.Warnings, w => w.Contains("IMG", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ProjectNameVariable_IsAvailable()
    {
        using var dir = new ComposeTestDirectory();
        var p = dir.Text("name: demo\nservices:\n  web:\n    image: x\n    container_name: ${COMPOSE_PROJECT_NAME}-web\n");
        Assert.Equal("demo-web", p.Services["web"].ContainerName);
    }
}
