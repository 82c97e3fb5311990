using Berth.Api.Models.Containers;
using Berth.Services;
using Berth.Services.Containers;

namespace Berth.Tests.Services;

public sealed class StatusTextTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0.5, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(5, "5 seconds")]
    [InlineData(65, "About a minute")]
    [InlineData(180, "3 minutes")]
    [InlineData(3600, "About an hour")]
    [InlineData(5 * 3600, "5 hours")]
    [InlineData(3 * 86400, "3 days")]
    public void HumanDuration_MatchesGoUnits(double seconds, string expected) =>
        Assert.Equal(expected, StatusText.HumanDuration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Of_Exited_ShowsCodeAndAge()
    {
        var state = new ContainerState { Status = "exited", ExitCode = 3, FinishedAt = Timestamps.Format(Now.AddSeconds(-3)) };
        Assert.Equal("Exited (3) 3 seconds ago", StatusText.Of(state, Now));
    }

    [Fact]
    public void Of_Paused_SaysPaused()
    {
        var state = new ContainerState { Status = "paused", Running = true, Paused = true, StartedAt = Timestamps.Format(Now.AddMinutes(-5)) };
        Assert.Equal("Up 5 minutes (Paused)", StatusText.Of(state, Now));
    }

    [Fact]
    public void Of_Created() => Assert.Equal("Created", StatusText.Of(new ContainerState(), Now));
}
