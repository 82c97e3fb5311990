using System.Text.Json.Nodes;
using Berth.Cli.Templates;

namespace Berth.Tests.Cli.Templates;

public sealed class GoTemplateTests
{
    // Shaped like the inspect body that produced the expected strings below from docker 28.2.2 (raw-JSON fallback).
    private static JsonNode Inspect() => JsonNode.Parse("""
        {"Id":"4f66ad9a0b2e","Name":"/web","Config":{"Labels":{"k":"v","a b":"c"},"Env":["A=1","B=2"],"Tty":false,"Cmd":null,"Memory":104857600,"F":1.5},
         "State":{"Running":true,"Pid":1234,"Health":null},"HostConfig":{"Memory":104857600}}
        """)!;

    private static string Run(string template, JsonNode? data = null, TemplateOptions? options = null) =>
        GoTemplate.Parse(template).Execute(data ?? Inspect(), options);

    [Theory]
    [InlineData("{{.Config.Labels}}", "map[a b:c k:v]")]
    [InlineData("{{.Config.Env}}", "[A=1 B=2]")]
    [InlineData("{{.Config.Cmd}}", "<no value>")]
    [InlineData("{{.Config.Memory}}", "104857600")]
    [InlineData("{{.State.Health}}", "<no value>")]
    [InlineData("{{.Config.F}}", "1.5")]
    [InlineData("{{json .Config.Labels}}", """{"k":"v","a b":"c"}""")]
    [InlineData("{{index .Config.Labels \"a b\"}}", "c")]
    [InlineData("{{index .Config.Labels \"missing\"}}", "")]
    [InlineData("{{.State}}", "map[Health:<nil> Pid:1234 Running:true]")]
    [InlineData("{{range .Config.Env}}[{{.}}]{{end}}", "[A=1][B=2]")]
    [InlineData("{{upper .Name}}", "/WEB")]
    [InlineData("{{title \"hello world\"}}", "Hello World")]
    [InlineData("{{truncate .Name 3}}", "/we")]
    [InlineData("{{truncate .Name 30}}", "/web")]
    [InlineData("{{pad .Name 2 1}}", "  /web ")]
    [InlineData("{{split \"a,b\" \",\"}}", "[a b]")]
    [InlineData("{{println .Name}}", "/web\n")]
    [InlineData("{{if .State.Running}}yes{{else}}no{{end}}", "yes")]
    [InlineData("{{if .Config.Tty}}yes{{else if .State.Running}}run{{else}}no{{end}}", "run")]
    [InlineData("{{with .State}}{{.Pid}}{{end}}", "1234")]
    [InlineData("{{with .Config.Cmd}}x{{else}}none{{end}}", "none")]
    [InlineData("{{len .Config.Env}}", "2")]
    [InlineData("{{.Name | printf \"%q\"}}", "\"/web\"")]
    [InlineData("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}", "a b=c;k=v;")]
    [InlineData("a  {{- \" x \" -}}  b", "a x b")]
    [InlineData("{{range $i, $e := .Config.Env}}{{$i}}:{{$e}} {{end}}", "0:A=1 1:B=2 ")]
    [InlineData("{{if and .State.Running (eq .Name \"/web\")}}A{{end}}", "A")]
    [InlineData("{{if not .Config.Tty}}B{{end}}", "B")]
    [InlineData("{{ne 1 2}}", "true")]
    [InlineData("{{.Config.Tty}}", "false")]
    [InlineData("{{json .Name}}", "\"/web\"")]
    [InlineData("{{json .Config.Cmd}}", "null")]
    [InlineData("{{join .Config.Env \",\"}}", "A=1,B=2")]
    [InlineData("{{.Name | upper | lower}}", "/web")]
    [InlineData("{{$n := .Name}}{{$n}}", "/web")]
    [InlineData("{{range .Config.Env}}{{$.Name}}{{end}}", "/web/web")]
    [InlineData("{{(index .Config.Env 1)}}", "B=2")]
    [InlineData("{{range .Config.Env}}{{if eq . \"B=2\"}}{{break}}{{end}}{{.}}{{end}}", "A=1")]
    [InlineData("{{range .Nope}}x{{else}}empty{{end}}", "empty")]
    [InlineData("{{/* comment */}}ok", "ok")]
    [InlineData("{{if or .Config.Tty .State.Running}}y{{end}}", "y")]
    [InlineData("{{gt .State.Pid 1000}}", "true")]
    [InlineData("{{printf \"%s-%d-%5s|%-4s|\" .Name .State.Pid \"ab\" \"c\"}}", "/web-1234-   ab|c   |")]
    [InlineData("{{print 1 2 \"x\" 3}}", "1 2x3")]
    [InlineData("{{1000000.0}}", "1e+06")]
    [InlineData("{{.Foo}}", "<no value>")]
    public void Execute_InspectData_MatchesDocker(string template, string expected)
    {
        Assert.Equal(expected, Run(template));
    }

    [Fact]
    public void Execute_MissingKeyError_UsesGoWording()
    {
        var ex = Assert.Throws<TemplateException>(() => Run("{{.Config.Labels}} {{.Foo}}", options: new TemplateOptions { MissingKeyError = true }));
        Assert.Equal("template: :1:21: executing \"\" at <.Foo>: map has no entry for key \"Foo\"", ex.Message);
    }

    [Fact]
    public void Execute_UnknownFieldOnRow_NamesTheGoType()
    {
        var row = new JsonObject { ["ID"] = "abc" };
        var ex = Assert.Throws<TemplateException>(() => Run("{{.Foo}}", row, new TemplateOptions { RootTypeName = "*formatter.ContainerContext" }));
        Assert.Equal("template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type *formatter.ContainerContext", ex.Message);
    }

    [Fact]
    public void Execute_MethodWithArgument_CallsResolver()
    {
        var row = new JsonObject { ["Labels"] = "a=1" };
        var options = new TemplateOptions
        {
            Methods = (object? r, string name, object?[] args, out object? result) =>
            {
                result = name == "Label" ? "label:" + args[0] : null;
                return name == "Label";
            },
        };
        Assert.Equal("label:a|a=1", Run("{{.Label \"a\"}}|{{.Labels}}", row, options));
    }

    [Fact]
    public void Execute_RootJson_EscapesHtmlOnlyForRoot()
    {
        var row = new JsonObject { ["Ports"] = "0.0.0.0:80->80/tcp", ["Platform"] = null };
        var options = new TemplateOptions { RootJsonEscapesHtml = true };
        Assert.Equal("""{"Ports":"0.0.0.0:80-\u003e80/tcp","Platform":null}""", Run("{{json .}}", row, options));
        Assert.Equal("\"0.0.0.0:80->80/tcp\"", Run("{{json .Ports}}", row, options));
    }

    [Theory]
    [InlineData("{{.Name")]
    [InlineData("{{if .X}}no end")]
    [InlineData("{{end}}")]
    [InlineData("{{nosuchfunc .X}}")]
    public void Parse_Or_Execute_Invalid_Throws(string template)
    {
        Assert.Throws<TemplateException>(() => Run(template));
    }
}
