using System.Text.Json.Nodes;
using Berth.Cli.Formatting;

namespace Berth.Tests.Cli.Formatting;

/// <summary>docker's jsonmessage display: per-layer lines redrawn in place on a terminal, plain lines elsewhere.</summary>
public sealed class JsonMessageDisplayTests
{
    private static readonly string[] Pull =
    [
        """{"status":"Pulling from x/y","id":"v1"}""",
        """{"status":"Pulling fs layer","progressDetail":{},"id":"aaa"}""",
        """{"status":"Pulling fs layer","progressDetail":{},"id":"bbb"}""",
        """{"status":"Downloading","progressDetail":{"current":12000000,"total":40000000},"progress":"[=====>  ] 12MB/40MB","id":"aaa"}""",
        """{"status":"Pull complete","progressDetail":{},"id":"bbb"}""",
        """{"status":"Digest: sha256:abc"}""",
    ];

    private static string Render(int? fd, int width, params string[] lines)
    {
        var output = new StringWriter();
        var display = new JsonMessageDisplay(output, fd, () => width);
        foreach (var l in lines) Assert.Null(display.Show((JsonObject)JsonNode.Parse(l)!));
        return output.ToString();
    }

    [Fact]
    public void Terminal_RedrawsEachLayerLineInPlace()
    {
        const string E = "\u001b[";
        var expected =
            "v1: Pulling from x/y\n" +
            "\n" + $"{E}1A" + $"{E}2K\raaa: Pulling fs layer \r" + $"{E}1B" +
            "\n" + $"{E}1A" + $"{E}2K\rbbb: Pulling fs layer \r" + $"{E}1B" +
            $"{E}2A" + $"{E}2K\raaa: Downloading [" + new string('=', 15) + ">" + new string(' ', 35) + "]     12MB/40MB\r" + $"{E}2B" +
            $"{E}1A" + $"{E}2K\rbbb: Pull complete \r" + $"{E}1B" +
            "Digest: sha256:abc\n";
        Assert.Equal(expected, Render(1, 120, Pull));
    }

    [Fact]
    public void NarrowTerminal_DropsTheBarKeepsTheCounts()
    {
        var text = Render(1, 80, Pull[3]);
        Assert.Contains("aaa: Downloading     12MB/40MB\r", text);
        Assert.DoesNotContain("[", text.Replace("\u001b[", ""));
    }

    [Fact]
    public void NotATerminal_PlainLinesWithoutBytes()
    {
        Assert.Equal("v1: Pulling from x/y\naaa: Pulling fs layer\nbbb: Pulling fs layer\nbbb: Pull complete\nDigest: sha256:abc\n", Render(null, 200, Pull));
    }

    [Fact]
    public void ErrorDetail_IsReturnedNotPrinted()
    {
        var output = new StringWriter();
        var display = new JsonMessageDisplay(output, null);
        Assert.Equal("boom", display.Show((JsonObject)JsonNode.Parse("""{"errorDetail":{"message":"boom"},"error":"boom"}""")!));
        Assert.Equal("", output.ToString());
    }
}
