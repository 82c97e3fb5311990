using Berth.Builder.Dockerfile;

namespace Berth.Tests.Builder;

public sealed class InstructionParserTests
{
    [Fact]
    public void Parse_MultiStage_SplitsStagesAndMetaArgs()
    {
        var doc = InstructionParser.Parse("ARG BASE=busybox\nFROM ${BASE} AS Build\nRUN make\nFROM --platform=linux/amd64 busybox\nCOPY --from=build /out /app\n");
        var meta = Assert.Single(doc.MetaArgs);
        Assert.Equal(new ArgDefinition("BASE", "busybox"), meta.Args[0]);
        Assert.Equal(2, doc.Stages.Count);
        Assert.Equal("build", doc.Stages[0].Name);
        Assert.Equal("${BASE}", doc.Stages[0].BaseName);
        Assert.Equal("linux/amd64", doc.Stages[1].Platform);
        Assert.Equal(0, doc.IndexOf("BUILD"));
        var copy = Assert.IsType<CopyInstruction>(doc.Stages[1].Commands[0]);
        Assert.Equal("build", copy.From);
        Assert.Equal(["/out"], copy.Sources);
        Assert.Equal("/app", copy.Dest);
    }

    [Fact]
    public void Parse_ShellAndExecForms()
    {
        var doc = InstructionParser.Parse("FROM a\nRUN echo $HOME\nCMD [\"a\",\"b\"]\nENTRYPOINT top -b\nSHELL [\"/bin/bash\",\"-c\"]\n");
        var c = doc.Stages[0].Commands;
        var run = Assert.IsType<RunInstruction>(c[0]);
        Assert.True(run.PrependShell);
        Assert.Equal(["echo $HOME"], run.CommandLine);
        var cmd = Assert.IsType<CmdInstruction>(c[1]);
        Assert.False(cmd.PrependShell);
        Assert.Equal(["a", "b"], cmd.CommandLine);
        Assert.Equal(["top -b"], Assert.IsType<EntrypointInstruction>(c[2]).CommandLine);
        Assert.Equal(["/bin/bash", "-c"], Assert.IsType<ShellInstruction>(c[3]).Shell);
        Assert.Equal("RUN echo $HOME", run.Code);
    }

    [Fact]
    public void Parse_Healthcheck_Durations()
    {
        var doc = InstructionParser.Parse("FROM a\nHEALTHCHECK --interval=5s --timeout=1m30s --retries=3 --start-period=1.5s CMD curl -f x || exit 1\n");
        var h = Assert.IsType<HealthcheckInstruction>(doc.Stages[0].Commands[0]).Health;
        Assert.Equal(["CMD-SHELL", "curl -f x || exit 1"], h.Test);
        Assert.Equal(5_000_000_000, h.Interval);
        Assert.Equal(90_000_000_000, h.Timeout);
        Assert.Equal(1_500_000_000, h.StartPeriod);
        Assert.Equal(3, h.Retries);
    }

    [Fact]
    public void Parse_CopyHeredocSource_BecomesInline()
    {
        var doc = InstructionParser.Parse("FROM a\nCOPY --chmod=755 <<EOF /run.sh\n#!/bin/sh\necho $X\nEOF\n");
        var copy = Assert.IsType<CopyInstruction>(doc.Stages[0].Commands[0]);
        var inline = Assert.Single(copy.Inline);
        Assert.Equal("EOF", inline.Path);
        Assert.Equal("#!/bin/sh\necho $X\n", inline.Data);
        Assert.Empty(copy.Sources);
        Assert.Equal("755", copy.Chmod);
    }

    [Fact]
    public void Parse_Onbuild_KeepsExpression()
    {
        var doc = InstructionParser.Parse("FROM a\nONBUILD COPY . /app\n");
        Assert.Equal("COPY . /app", Assert.IsType<OnbuildInstruction>(doc.Stages[0].Commands[0]).Expression);
    }

    [Theory]
    [InlineData("FROM a\nCOPY x\n", 2, "COPY requires at least two arguments, but only one was provided. Destination could not be determined")]
    [InlineData("FROM a\nCOPY --bogus=1 x y\n", 2, "unknown flag: --bogus")]
    [InlineData("FROM a\nCOPY --chown x y\n", 2, "missing a value on flag: --chown")]
    [InlineData("FROM a\nADD --link=maybe x y\n", 2, "expecting boolean value for flag --link, not: maybe")]
    [InlineData("FROM a\nWORKDIR\n", 2, "WORKDIR requires exactly one argument")]
    [InlineData("FROM a\nUSER\n", 2, "USER requires exactly one argument")]
    [InlineData("FROM a\nEXPOSE\n", 2, "EXPOSE requires at least one argument")]
    [InlineData("FROM a b\n", 1, "FROM requires either one or three arguments")]
    [InlineData("FROM a AS 1x\n", 1, "invalid name for build stage: \"1x\", name can't start with a number or contain symbols")]
    [InlineData("RUN x\n", 1, "no build stage in current context")]
    [InlineData("FROM a\nFOO x\n", 2, "unknown instruction: FOO")]
    [InlineData("FROM a\nSHELL sh -c\n", 2, "SHELL requires the arguments to be in JSON form")]
    [InlineData("FROM a\nONBUILD ONBUILD RUN x\n", 2, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")]
    [InlineData("FROM a\nONBUILD FROM x\n", 2, "FROM isn't allowed as an ONBUILD trigger")]
    [InlineData("FROM a\nHEALTHCHECK NONE x\n", 2, "HEALTHCHECK NONE takes no arguments")]
    [InlineData("FROM a\nHEALTHCHECK CMD\n", 2, "Missing command after HEALTHCHECK CMD")]
    [InlineData("FROM a\nHEALTHCHECK --interval=1us CMD x\n", 2, "Interval \"interval\" cannot be less than 1ms")]
    [InlineData("FROM a\nHEALTHCHECK --retries=-1 CMD x\n", 2, "--retries cannot be negative (-1)")]
    [InlineData("FROM a\n\n\nCOPY <<EOF <<X\nEOF\nX\n", 4, "COPY cannot accept a heredoc as a destination")]
    [InlineData("FROM a\nARG =x\n", 2, "ARG names can not be blank")]
    [InlineData("FROM a\nENV\n", 2, "ENV requires at least one argument")]
    public void Parse_Error_NamesLineAndMessage(string text, int line, string message)
    {
        var ex = Assert.Throws<DockerfileParseException>(() => InstructionParser.Parse(text));
        Assert.Equal(line, ex.Line);
        Assert.Equal(message, ex.Detail);
        Assert.Equal($"dockerfile parse error on line {line}: {message}", ex.Message);
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1_500_000_000L, "1.5s")]
    [InlineData(90_000_000_000L, "1m30s")]
    [InlineData(7_200_000_000_000L, "2h0m0s")]
    [InlineData(300_000_000L, "300ms")]
    public void GoFormat_Duration_MatchesGo(long nanos, string text) => Assert.Equal(text, GoFormat.Duration(nanos));

    [Fact]
    public void GoFormat_Quote_EscapesAsGo() =>
        Assert.Equal("\"a\\\"b\\\\c\\n\\x00\\u00a0♥\"", GoFormat.Quote("a\"b\\c\n\0\u00a0♥"));

    [Theory]
    [InlineData(2L, "'\\x02'")]
    [InlineData(0L, "'\\x00'")]
    [InlineData(10L, "'\\n'")]
    [InlineData(65L, "'A'")]
    [InlineData(39L, "'\\''")]
    [InlineData(34L, "'\"'")]
    [InlineData(-1L, "'�'")]
    public void GoFormat_QuoteRune_IsPercentQOfAnInt(long value, string text) => Assert.Equal(text, GoFormat.QuoteRune(value));
}
