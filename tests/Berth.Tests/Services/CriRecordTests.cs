using System.Text;
using Berth.Services.Logs;

namespace Berth.Tests.Services;

public sealed class CriRecordTests
{
    [Theory]
    [InlineData("2026-11-22T20:38:09.958574621+00:00", "2026-11-22T20:38:09.9585746+00:00")]
    [InlineData("2026-11-22T21:38:09.5+01:00", "2026-11-22T20:38:09.5+00:00")]
    [InlineData("2026-11-22T20:38:09Z", "2026-11-22T20:38:09+00:00")]
    public void TryParseTime_ConmonFormats(string text, string expected)
    {
        Assert.True(CriRecord.TryParseTime(Encoding.ASCII.GetBytes(text), out var t));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), t);
    }

    [Fact]
    public void TryParse_SplitsStreamTagAndContent()
    {
        Assert.True(CriRecord.TryParse("2026-11-22T20:38:09.1+00:00 stderr P hello world"u8, out _, out var stream, out var partial, out var content));
        Assert.Equal(2, stream);
        Assert.True(partial);
        Assert.Equal("hello world", Encoding.ASCII.GetString(content));
    }

    [Fact]
    public void TryParse_Garbage_False() => Assert.False(CriRecord.TryParse("not a record"u8, out _, out _, out _, out _));
}
