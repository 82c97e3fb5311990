using Berth.Compose;
using Berth.Compose.Loader;

namespace Berth.Tests.Compose;

public sealed class DotEnvParserTests
{
    private static Dictionary<string, string> Parse(string text, Dictionary<string, string>? env = null)
        => DotEnvParser.Parse(text, ".env", (string n, out string v) => (env ?? []).TryGetValue(n, out v!)).ToDictionary(kv => kv.Key, kv => kv.Value);

    [Fact]
    public void Parse_Formats()
    {
        var r = Parse("""
            # comment
            A=1
            export B=two
            C = spaced  
            D="double\nline"
            E='single \n $A'
            F=unquoted # trailing comment
            G=a#b
            H: colon
            I=${A}-${MISSING:-dflt}
            J="${A} quoted"
            K=
            INHERIT
            M="multi
            line"
            """, new() { ["INHERIT"] = "from-shell" });
        Assert.Equal("1", r["A"]);
        Assert.Equal("two", r["B"]);
        Assert.Equal("spaced", r["C"]);
        Assert.Equal("double\nline", r["D"]);
        Assert.Equal("single \\n $A", r["E"]);
        Assert.Equal("unquoted", r["F"]);
        Assert.Equal("a#b", r["G"]);
        Assert.Equal("colon", r["H"]);
        Assert.Equal("1-dflt", r["I"]);
        Assert.Equal("1 quoted", r["J"]);
        Assert.Equal("", r["K"]);
        Assert.Equal("from-shell", r["INHERIT"]);
        Assert.Equal("multi\nline", r["M"]);
    }

    [Fact]
    public void Parse_BareKeyNotInEnvironment_IsSkipped() => Assert.Empty(Parse("NOPE\n"));

    [Theory]
    [InlineData("A B=1", "key cannot contain a space")]
    [InlineData("A=\"open", "unterminated quoted value")]
    [InlineData("A$=1", "unexpected character")]
    public void Parse_Errors(string text, string message)
        => Assert.Contains(message, Assert.Throws<ComposeException>(() => Parse(text)).Message);
}
