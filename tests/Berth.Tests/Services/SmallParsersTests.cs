using Berth.Core.Errors;
using Berth.Services;
using Berth.Services.Containers;

namespace Berth.Tests.Services;

public sealed class SmallParsersTests
{
    [Theory]
    [InlineData("SIGKILL", 9)]
    [InlineData("KILL", 9)]
    [InlineData("term", 15)]
    [InlineData("2", 2)]
    [InlineData("SIGRTMIN+3", 37)]
    public void Signals_Parse(string text, int expected) => Assert.Equal(expected, Signals.Parse(text, 0));

    [Theory]
    [InlineData("SIGNOPE")]
    [InlineData("99")]
    public void Signals_Invalid_Throws(string text) => Assert.Throws<InvalidArgumentException>(() => Signals.Parse(text, 0));

    [Theory]
    [InlineData("32m", 32L * 1024 * 1024)]
    [InlineData("1g", 1L << 30)]
    [InlineData("512k", 512L * 1024)]
    [InlineData("100", 100L)]
    [InlineData("10MB", 10L * 1024 * 1024)]
    public void Units_ParseBytes(string text, long expected) => Assert.Equal(expected, Units.ParseBytes(text));

    [Fact]
    public void Units_Garbage_Throws() => Assert.Throws<InvalidArgumentException>(() => Units.ParseBytes("lots"));

    [Fact]
    public void DetachKeys_Default_DetectsCtrlPCtrlQ()
    {
        var keys = DetachKeys.Parse(null);
        var (forward, detach) = keys.Scan([(byte)'a', 16, 17]);
        Assert.True(detach);
        Assert.Equal(1, forward);
    }

    [Fact]
    public void DetachKeys_PartialSequence_IsForwarded()
    {
        var keys = DetachKeys.Parse("ctrl-x,y");
        var (forward, detach) = keys.Scan([24, (byte)'z']);
        Assert.False(detach);
        Assert.Equal(2, forward);
    }

    [Fact]
    public void DetachKeys_Invalid_Throws() => Assert.Throws<InvalidArgumentException>(() => DetachKeys.Parse("ctrl-"));
}
