using Berth.Builder.Dockerfile;

namespace Berth.Tests.Builder;

public sealed class DockerfileParserTests
{
    [Fact]
    public void Parse_Directives_AreRecordedAndEscapeApplies()
    {
        var r = DockerfileParser.Parse("# syntax=docker/dockerfile:1\n# escape=`\n# check=skip=all\nFROM a\nRUN echo `\n  hi\n");
        Assert.Equal('`', r.EscapeToken);
        Assert.Equal("docker/dockerfile:1", r.Directives["syntax"]);
        Assert.Equal("skip=all", r.Directives["check"]);
        Assert.Equal("(from \"a\")\n(run \"echo   hi\")", r.Root.Dump());
    }

    [Fact]
    public void Parse_DirectiveAfterInstruction_IsAComment()
    {
        var r = DockerfileParser.Parse("FROM a\n# escape=`\nRUN x \\\n  y\n");
        Assert.Equal('\\', r.EscapeToken);
        Assert.Equal("(from \"a\")\n(run \"x   y\")", r.Root.Dump());
    }

    [Fact]
    public void Parse_RepeatedDirective_ThrowsNamingLine()
    {
        var ex = Assert.Throws<DockerfileParseException>(() => DockerfileParser.Parse("# escape=`\n# escape=\\\nFROM a\n"));
        Assert.Equal(2, ex.Line);
        Assert.Contains("only one escape parser directive can be used", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidEscape_Throws()
    {
        var ex = Assert.Throws<DockerfileParseException>(() => DockerfileParser.Parse("# escape=x\nFROM a\n"));
        Assert.Contains("invalid escape token 'x'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CommentsInsideContinuation_AreSkipped_EmptyLinesWarn()
    {
        var r = DockerfileParser.Parse("FROM a\nRUN a \\\n# comment\n\n  b\n");
        Assert.Equal("(from \"a\")\n(run \"a   b\")", r.Root.Dump());
        Assert.Single(r.Warnings);
        Assert.Equal(2, r.Root.Children[1].StartLine);
        Assert.Equal(5, r.Root.Children[1].EndLine);
    }

    [Fact]
    public void Parse_CrLfLineEndings_AreTrimmed()
    {
        var r = DockerfileParser.Parse("FROM a\r\nRUN b \\\r\n c\r\n");
        Assert.Equal("(from \"a\")\n(run \"b  c\")", r.Root.Dump());
    }

    [Fact]
    public void Parse_Heredoc_AttachesContentAndSkipsItsLines()
    {
        var r = DockerfileParser.Parse("FROM a\nRUN <<EOF\necho hi\necho $X\nEOF\nCOPY <<-\"END\" /f\n\tline\n\tEND\nCMD x\n");
        var run = r.Root.Children[1];
        var doc = Assert.Single(run.Heredocs);
        Assert.Equal("EOF", doc.Name);
        Assert.True(doc.Expand);
        Assert.Equal("echo hi\necho $X\n", doc.Content);
        var copy = r.Root.Children[2];
        var quoted = Assert.Single(copy.Heredocs);
        Assert.False(quoted.Expand);
        Assert.True(quoted.Chomp);
        Assert.Equal("\tline\n", quoted.Content);
        Assert.Equal("cmd \"x\"", r.Root.Children[3].Dump());
    }

    [Fact]
    public void Parse_TwoHeredocsOnOneLine_ReadInOrder()
    {
        var r = DockerfileParser.Parse("FROM a\nCOPY <<A <<B /dir/\na\nA\nb\nB\n");
        var docs = r.Root.Children[1].Heredocs;
        Assert.Equal(["A", "B"], docs.Select(d => d.Name));
        Assert.Equal(["a\n", "b\n"], docs.Select(d => d.Content));
    }

    [Fact]
    public void Parse_HeredocInJsonForm_IsNotAHeredoc()
    {
        var r = DockerfileParser.Parse("FROM a\nRUN [\"sh\", \"-c\", \"cat <<EOF\"]\nCMD x\n");
        Assert.Empty(r.Root.Children[1].Heredocs);
        Assert.Equal(3, r.Root.Children.Count);
    }

    [Fact]
    public void Parse_UnterminatedHeredoc_ThrowsNamingLine()
    {
        var ex = Assert.Throws<DockerfileParseException>(() => DockerfileParser.Parse("FROM a\n\nRUN <<EOF\necho\n"));
        Assert.Equal(3, ex.Line);
        Assert.Contains("unterminated heredoc", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OnbuildHeredoc_IsRead()
    {
        var r = DockerfileParser.Parse("FROM a\nONBUILD RUN <<EOF\nx\nEOF\n");
        Assert.Single(r.Root.Children[1].Heredocs);
    }

    [Theory]
    [InlineData("FROM a\nENV X\n", 2, "ENV must have two arguments")]
    [InlineData("FROM a\n\nLABEL a=1 b\n", 3, "Syntax error - can't find = in \"b\". Must be of the form: name=value")]
    [InlineData("FROM a\nCMD [\"a\", 1]\n", 2, "when using JSON array syntax, arrays must be comprised of strings only")]
    [InlineData("", 0, "file with no instructions")]
    [InlineData("# only\n\n", 0, "file with no instructions")]
    public void Parse_SyntaxError_NamesLine(string text, int line, string message)
    {
        var ex = Assert.Throws<DockerfileParseException>(() => DockerfileParser.Parse(text));
        Assert.Equal(line, ex.Line);
        Assert.Equal(message, ex.Detail);
        if (line > 0) Assert.StartsWith($"dockerfile parse error on line {line}: ", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RUN --mount=type=cache,target=/c --network=none echo hi", "run [\"--mount=type=cache,target=/c\" \"--network=none\"] \"echo hi\"")]
    [InlineData("COPY --chown=\"a b\" x y", "copy [\"--chown=a b\"] \"x\" \"y\"")]
    [InlineData("ADD [\"a b\", \"/c\"]", "add \"a b\" \"/c\"")]
    [InlineData("EXPOSE 80/tcp  443", "expose \"80/tcp\" \"443\"")]
    [InlineData("HEALTHCHECK NONE", "healthcheck \"NONE\"")]
    [InlineData("ARG a=1 b", "arg \"a=1\" \"b\"")]
    [InlineData("UNKNOWN x", "unknown \"\"")]
    public void Parse_Instruction_Dumps(string line, string dump) =>
        Assert.Equal(dump, DockerfileParser.Parse("FROM a\n" + line + "\n").Root.Children[1].Dump());

    [Fact]
    public void Parse_Bom_IsStripped() => Assert.Equal("(from \"a\")", DockerfileParser.Parse("\uFEFFFROM a").Root.Dump());
}
