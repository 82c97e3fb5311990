using Berth.Builder.Dockerfile;

namespace Berth.Tests.Builder;

/// <summary>Variable expansion and word splitting against BuildKit's own tables (shell/envVarTest, shell/wordsTest).</summary>
public sealed class ShellLexTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Builder", "TestData", "shell");

    public static TheoryData<int, string, string> EnvVarCases()
    {
        var data = new TheoryData<int, string, string>();
        var n = 0;
        foreach (var line in File.ReadAllLines(Path.Combine(Root, "envVarTest")))
        {
            n++;
            if (line.StartsWith('#') || line.Trim().Length == 0) continue;
            var parts = line.Trim().Split('|');
            if (parts[0].Trim() == "W") continue;
            data.Add(n, parts[1].Trim(), parts[2].Trim());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EnvVarCases))]
    public void ProcessWord_EnvVarTestLine_MatchesBuildKit(int line, string source, string expected)
    {
        var lex = new ShellLex('\\');
        var env = new ShellEnv(["PWD=/home", "SHELL=bash", "KOREAN=한국어", "NULL="]);
        if (expected == "error")
        {
            Assert.Throws<ShellSyntaxException>(() => lex.ProcessWord(source, env));
            return;
        }
        Assert.True(line > 0);
        Assert.Equal(expected, lex.ProcessWord(source, env));
    }

    [Fact]
    public void ProcessWords_WordsTestFile_MatchesBuildKit()
    {
        var envs = new List<string>();
        var lex = new ShellLex('\\');
        var checkedCount = 0;
        foreach (var line in File.ReadAllLines(Path.Combine(Root, "wordsTest")))
        {
            if (line.StartsWith('#')) continue;
            if (line.StartsWith("ENV ", StringComparison.Ordinal))
            {
                envs.Add(line[3..].TrimStart(' '));
                continue;
            }
            var parts = line.Split('|');
            Assert.Equal(2, parts.Length);
            var test = parts[0].Trim();
            var expected = parts[1].TrimStart(' ').Split(',');
            List<string> result;
            try { result = lex.ProcessWords(test, new ShellEnv(envs)); }
            catch (ShellSyntaxException) { result = ["error"]; }
            Assert.True(expected.SequenceEqual(result), $"{test}: expected [{string.Join("|", expected)}], got [{string.Join("|", result)}]");
            checkedCount++;
        }
        Assert.True(checkedCount > 20);
    }

    [Theory]
    [InlineData("${VAR:?message here$ARG}", "VAR=plain", "plain")]
    [InlineData("${VAR?message here$ARG}", "VAR=", "")]
    [InlineData("${A:-x}${B:+y}", "B=1", "xy")]
    [InlineData("${A:+y}", "A=", "")]
    [InlineData("${A+y}", "A=", "y")]
    [InlineData("${A-x}", "A=", "")]
    [InlineData("${P#*/}", "P=a/b/c", "b/c")]
    [InlineData("${P##*/}", "P=a/b/c", "c")]
    [InlineData("${P%/*}", "P=a/b/c", "a/b")]
    [InlineData("${P%%/*}", "P=a/b/c", "a")]
    [InlineData("${P/b/X}", "P=abab", "aXab")]
    [InlineData("${P//b/X}", "P=abab", "aXaX")]
    public void ProcessWord_Modifiers_Expand(string word, string env, string expected) =>
        Assert.Equal(expected, new ShellLex('\\').ProcessWord(word, new ShellEnv([env, "ARG=x"])));

    [Theory]
    [InlineData("${VAR:?message here$ARG}", "VAR=", "message herex")]
    [InlineData("${VAR?}", "X=1", "VAR: is not allowed to be unset")]
    [InlineData("${VAR:?}", "VAR=", "VAR: is not allowed to be empty")]
    public void ProcessWord_MandatoryVariable_ThrowsWithMessage(string word, string env, string message)
    {
        var ex = Assert.Throws<ShellSyntaxException>(() => new ShellLex('\\').ProcessWord(word, new ShellEnv([env, "ARG=x"])));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProcessWord_BacktickEscape_EscapesDollar() =>
        Assert.Equal("$HOME and /root", new ShellLex('`').ProcessWord("`$HOME and $HOME", new ShellEnv(["HOME=/root"])));

    [Fact]
    public void ProcessWord_SkipUnsetEnv_KeepsReference() =>
        Assert.Equal("${X} $Y ${Z:-a} set", new ShellLex('\\') { SkipUnsetEnv = true }.ProcessWord("${X} $Y ${Z:-a} $S", new ShellEnv(["S=set"])));
}
