using Berth.Compose.Loader;

namespace Berth.Tests.Compose;

public sealed class UnitsTests
{
    [Theory]
    [InlineData("1m30s", 90_000)]
    [InlineData("5s", 5_000)]
    [InlineData("100ms", 100)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("10", 10_000)]
    [InlineData("0", 0)]
    public void Duration_Parses(string text, long ms)
    {
        Assert.True(Units.TryParseDuration(text, out var d));
        Assert.Equal(ms, (long)d.TotalMilliseconds);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("5x")]
    [InlineData("")]
    public void Duration_Rejects(string text) => Assert.False(Units.TryParseDuration(text, out _));

    [Theory]
    [InlineData(90_000, "1m30s")]
    [InlineData(5_000, "5s")]
    [InlineData(100, "100ms")]
    [InlineData(3_600_000, "1h0m0s")]
    public void Duration_FormatsLikeGo(long ms, string text) => Assert.Equal(text, Units.FormatDuration(TimeSpan.FromMilliseconds(ms)));

    [Theory]
    [InlineData("512m", 512L << 20)]
    [InlineData("1g", 1L << 30)]
    [InlineData("1gb", 1L << 30)]
    [InlineData("100k", 100L << 10)]
    [InlineData("1024", 1024)]
    [InlineData("1.5G", 3L << 29)]
    [InlineData("64MiB", 64L << 20)]
    public void Bytes_Parses(string text, long expected)
    {
        Assert.True(Units.TryParseBytes(text, out var v));
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData("echo hi", new[] { "echo", "hi" })]
    [InlineData("  a   b  ", new[] { "a", "b" })]
    [InlineData("sh -c \"echo \\\"q\\\" $HOME\"", new[] { "sh", "-c", "echo \"q\" $HOME" })]
    [InlineData("'it''s'", new[] { "its" })]
    [InlineData("a\"b c\"d", new[] { "ab cd" })]
    [InlineData("\"\"", new[] { "" })]
    public void ShellWords_Splits(string line, string[] expected) => Assert.Equal(expected, ShellWords.Split(line));

    [Fact]
    public void ShellWords_Unterminated_Throws() => Assert.Throws<InterpolationException>(() => ShellWords.Split("echo 'oops"));
}
