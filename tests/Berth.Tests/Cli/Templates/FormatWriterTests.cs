using System.Text.Json.Nodes;
using Berth.Cli.Templates;

namespace Berth.Tests.Cli.Templates;

public sealed class FormatWriterTests
{
    private static readonly JsonObject Header = new()
    {
        ["ID"] = "CONTAINER ID", ["Image"] = "IMAGE", ["Names"] = "NAMES", ["Status"] = "STATUS",
    };

    private static JsonObject[] Rows() =>
    [
        new JsonObject { ["ID"] = "4f66ad9a0b2e", ["Image"] = "nginx:latest", ["Names"] = "web", ["Status"] = "Up About a minute", ["Labels"] = "a=1,b=2" },
        new JsonObject { ["ID"] = "9abc", ["Image"] = "busybox", ["Names"] = "db", ["Status"] = "Exited (0) 3 seconds ago", ["Labels"] = "" },
    ];

    private static string Render(string format, TemplateOptions? options = null)
    {
        var sw = new StringWriter();
        FormatWriter.Write(sw, format, Header, Rows(), options ?? new TemplateOptions());
        return sw.ToString();
    }

    [Fact]
    public void Write_TableWithFunctions_HeaderStaysIntact()
    {
        // docker 28.2.2: docker ps -a --format 'table {{.ID}}\t{{.Label "a"}}\t{{json .Names}}\t{{upper .Image}}|{{.Names}}'
        var options = new TemplateOptions
        {
            Methods = (object? r, string name, object?[] args, out object? result) =>
            {
                result = name == "Label" && ((JsonObject)r!)["Names"]!.GetValue<string>() == "web" ? "1" : "";
                return name == "Label";
            },
        };
        Assert.Equal(
            "CONTAINER ID   a         NAMES     IMAGE|NAMES\n" +
            "4f66ad9a0b2e   1         \"web\"     NGINX:LATEST|web\n" +
            "9abc                     \"db\"      BUSYBOX|db\n",
            Render("table {{.ID}}\\t{{.Label \"a\"}}\\t{{json .Names}}\\t{{upper .Image}}|{{.Names}}", options));
    }

    [Fact]
    public void Write_TableSingleColumn_NoPadding()
    {
        Assert.Equal("CONTAINER ID\n4f66ad9a0b2e\n9abc\n", Render("table {{.ID}}"));
    }

    [Fact]
    public void Write_Custom_NoHeaderAndEscapesExpanded()
    {
        Assert.Equal("web\tUp About a minute\ndb\tExited (0) 3 seconds ago\n", Render("{{.Names}}\\t{{.Status}}"));
    }

    [Fact]
    public void Write_Json_IsJsonOfEachRow()
    {
        var output = Render("json", new TemplateOptions { RootJsonEscapesHtml = true });
        Assert.StartsWith("{\"ID\":\"4f66ad9a0b2e\",\"Image\":\"nginx:latest\"", output, StringComparison.Ordinal);
        Assert.Equal(2, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Write_BadTemplate_ReportsParsingError()
    {
        var ex = Assert.Throws<TemplateException>(() => Render("{{.ID"));
        Assert.StartsWith("template parsing error: ", ex.Message, StringComparison.Ordinal);
    }
}
