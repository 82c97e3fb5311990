using Berth.Api.Models.Containers;
using Berth.Services.Containers;

namespace Berth.Tests.Services;

public sealed class RestartManagerTests
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1);

    [Fact]
    public void NextDelay_DoublesFrom100msUpToOneMinute()
    {
        var delays = new List<double>();
        var d = TimeSpan.Zero;
        for (var i = 0; i < 12; i++)
        {
            d = RestartManager.NextDelay(d, Short);
            delays.Add(d.TotalMilliseconds);
        }

        Assert.Equal([100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 60000, 60000], delays);
    }

    [Fact]
    public void NextDelay_RunOfTenSeconds_ResetsTo100ms() =>
        Assert.Equal(TimeSpan.FromMilliseconds(100), RestartManager.NextDelay(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)));

    [Theory]
    [InlineData("no", 0, 1, false, false)]
    [InlineData("", 0, 1, false, false)]
    [InlineData("always", 0, 0, false, true)]
    [InlineData("always", 50, 0, true, true)]
    [InlineData("unless-stopped", 0, 0, false, true)]
    [InlineData("unless-stopped", 0, 1, true, false)]
    [InlineData("on-failure", 0, 0, false, false)]
    [InlineData("on-failure", 100, 1, false, true)]
    public void PolicyWantsRestart_FollowsDocker(string name, int count, int exitCode, bool manual, bool expected) =>
        Assert.Equal(expected, RestartManager.PolicyWantsRestart(new RestartPolicy { Name = name }, count, exitCode, manual));

    [Fact]
    public void OnExit_OnFailure3_RestartsExactlyThreeTimes()
    {
        var manager = new RestartManager();
        var doc = Doc(new RestartPolicy { Name = "on-failure", MaximumRetryCount = 3 });
        var delays = new List<TimeSpan?>();
        for (var i = 0; i < 5; i++)
        {
            var delay = manager.OnExit(doc, 1, Short);
            delays.Add(delay);
            if (delay is not null) doc.RestartCount++;
        }

        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), null, null], delays);
        Assert.Equal(3, doc.RestartCount);
    }

    [Fact]
    public void OnExit_AfterCancel_NoRestartUntilReset()
    {
        var manager = new RestartManager();
        var doc = Doc(new RestartPolicy { Name = "always" });
        manager.Cancel(doc.Id);
        Assert.Null(manager.OnExit(doc, 0, Short));
        manager.Reset(doc.Id);
        Assert.Equal(TimeSpan.FromMilliseconds(100), manager.OnExit(doc, 0, Short));
    }

    [Fact]
    public void Arm_CancelFiresPendingToken()
    {
        var manager = new RestartManager();
        var token = manager.Arm("c1");
        Assert.False(token.IsCancellationRequested);
        manager.Cancel("c1");
        Assert.True(token.IsCancellationRequested);
    }

    private static ContainerDocument Doc(RestartPolicy policy) =>
        new() { Id = Guid.NewGuid().ToString("N"), HostConfig = new HostConfig { RestartPolicy = policy } };
}
