using Berth.Services;
using Berth.Services.Events;

namespace Berth.Tests.Services;

public sealed class EventHubTests
{
    [Fact]
    public void Publish_ContainerEvent_CarriesLegacyFields()
    {
        var hub = new EventHub();
        hub.Publish("container", "start", "abc", new Dictionary<string, string> { ["image"] = "busybox", ["name"] = "web" });
        var (replay, live) = hub.Subscribe();
        using var _ = live;
        var e = Assert.Single(replay);
        Assert.Equal("start", e.Status);
        Assert.Equal("abc", e.Id);
        Assert.Equal("busybox", e.From);
        Assert.True(e.TimeNano > 0);
    }

    [Fact]
    public void Subscribe_ReceivesLiveEventsInOrder()
    {
        var hub = new EventHub();
        var (_, live) = hub.Subscribe();
        using var __ = live;
        hub.Publish("container", "create", "a");
        hub.Publish("container", "start", "a");
        Assert.True(live.Reader.TryRead(out var first));
        Assert.True(live.Reader.TryRead(out var second));
        Assert.Equal(("create", "start"), (first!.Action, second!.Action));
    }

    [Fact]
    public void Filter_TypeAndEvent_AreAndedAcrossKeys()
    {
        var hub = new EventHub();
        hub.Publish("container", "start", "a", new Dictionary<string, string> { ["name"] = "web" });
        hub.Publish("container", "die", "a", new Dictionary<string, string> { ["name"] = "web" });
        hub.Publish("image", "tag", "sha256:x");
        var filter = new EventFilter(Filters.Parse("{\"type\":{\"container\":true},\"event\":{\"die\":true}}"));
        var (replay, live) = hub.Subscribe();
        using var _ = live;
        Assert.Equal(["die"], replay.Where(filter.Matches).Select(e => e.Action));
    }

    [Fact]
    public void Filter_ExecStartPrefix_Matches()
    {
        var hub = new EventHub();
        hub.Publish("container", "exec_start: sh -c true", "a");
        var (replay, live) = hub.Subscribe();
        using var _ = live;
        Assert.Single(replay, new EventFilter(Filters.Parse("{\"event\":[\"exec_start\"]}")).Matches);
    }
}
