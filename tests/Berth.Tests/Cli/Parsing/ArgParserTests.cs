using Berth.Cli.Commands;
using Berth.Cli.Parsing;

namespace Berth.Tests.Cli.Parsing;

public sealed class ArgParserTests
{
    [Fact]
    public void Parse_OptionsAfterImage_BelongToTheCommand()
    {
        var a = ArgParser.Parse(["--rm", "busybox", "echo", "-d"], ContainerOptions.Specs, stopAtFirstPositional: true);
        Assert.True(a.Flag("rm"));
        Assert.False(a.Flag("detach"));
        Assert.Equal(["busybox", "echo", "-d"], a.Positionals);
    }

    [Fact]
    public void Parse_CombinedShortFlags_AndAttachedValues()
    {
        var a = ArgParser.Parse(["-dit", "-eA=1", "-e", "B=2", "--name=web", "-p80:80", "busybox"], ContainerOptions.Specs, stopAtFirstPositional: true);
        Assert.True(a.Flag("detach") && a.Flag("interactive") && a.Flag("tty"));
        Assert.Equal(["A=1", "B=2"], a.Values("env"));
        Assert.Equal("web", a.Value("name"));
        Assert.Equal("80:80", a.Value("publish"));
        Assert.Equal(["busybox"], a.Positionals);
    }

    [Fact]
    public void Parse_DoubleDash_EndsOptions_AndBoolWithValue()
    {
        var a = ArgParser.Parse(["--rm=false", "--", "-x"], ContainerOptions.Specs);
        Assert.False(a.Flag("rm"));
        Assert.Equal(["-x"], a.Positionals);
    }

    [Theory]
    [InlineData("--foo", "unknown flag: --foo")]
    [InlineData("-z", "unknown shorthand flag: 'z' in -z")]
    [InlineData("--name", "flag needs an argument: --name")]
    public void Parse_Invalid_ThrowsDockerWording(string arg, string message)
    {
        var ex = Assert.Throws<UsageException>(() => ArgParser.Parse([arg], ContainerOptions.Specs));
        Assert.Equal(message, ex.Message);
    }
}
