using Berth.Builder.Dockerfile;

namespace Berth.Tests.Builder;

/// <summary>BuildKit's own parser test files: each Dockerfile must dump to its expected tree; each negative one must fail.</summary>
public sealed class DockerfileParserConformanceTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Builder", "TestData", "dockerfile-parser");

    public static TheoryData<string> Positive() => Cases("testfiles");

    public static TheoryData<string> Negative() => Cases("testfiles-negative");

    private static TheoryData<string> Cases(string dir)
    {
        var data = new TheoryData<string>();
        foreach (var d in Directory.GetDirectories(Path.Combine(Root, dir)).Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(d));
        return data;
    }

    [Theory]
    [MemberData(nameof(Positive))]
    public void Parse_BuildKitTestfile_DumpsExpectedTree(string name)
    {
        var dir = Path.Combine(Root, "testfiles", name);
        var result = DockerfileParser.Parse(File.ReadAllText(Path.Combine(dir, "Dockerfile")));
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "result")), result.Root.Dump() + "\n");
    }

    [Theory]
    [MemberData(nameof(Negative))]
    public void Parse_BuildKitNegativeTestfile_Throws(string name)
    {
        var text = File.ReadAllText(Path.Combine(Root, "testfiles-negative", name, "Dockerfile"));
        Assert.Throws<DockerfileParseException>(() => DockerfileParser.Parse(text));
    }

    [Fact]
    public void Testfiles_AreAllPresent()
    {
        Assert.True(Positive().Count >= 30);
        Assert.Equal(4, Negative().Count);
    }
}
