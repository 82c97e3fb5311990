using System.Threading.Channels;
using Berth.Api.Models.Events;

namespace Berth.Services.Events;

/// <summary>
/// Fans daemon events out to subscribers and keeps the last 256 for replay (as moby does for <c>since</c>).
/// Publishing never blocks: a subscriber that cannot keep up loses events rather than stalling a container start.
/// </summary>
public sealed class EventHub
{
    private const int ReplayCapacity = 256;
    private readonly Lock _lock = new();
    private readonly LinkedList<EventMessage> _recent = new();
    private readonly List<Channel<EventMessage>> _subscribers = [];
    private readonly TimeProvider _time;

    public EventHub(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public int SubscriberCount { get { lock (_lock) return _subscribers.Count; } }

    public void Publish(string type, string action, string actorId, IReadOnlyDictionary<string, string>? attributes = null)
    {
        var now = _time.GetUtcNow();
        var nanos = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        var msg = new EventMessage
        {
            Type = type,
            Action = action,
            Time = nanos / 1_000_000_000,
            TimeNano = nanos,
            Actor = new EventActor { ID = actorId, Attributes = attributes is null ? [] : new Dictionary<string, string>(attributes) },
        };
        if (type is "container" or "image")
        {
            // The legacy fields docker-py and old CLIs still read.
            msg.Status = action;
            msg.Id = actorId;
            if (type == "container" && attributes is not null && attributes.TryGetValue("image", out var image)) msg.From = image;
        }
        lock (_lock)
        {
            _recent.AddLast(msg);
            if (_recent.Count > ReplayCapacity) _recent.RemoveFirst();
            foreach (var s in _subscribers) s.Writer.TryWrite(msg);
        }
    }

    /// <summary>Subscribes, returning the replay of buffered events (oldest first) and a reader for live ones.</summary>
    public (IReadOnlyList<EventMessage> Replay, EventSubscription Live) Subscribe()
    {
        var channel = Channel.CreateBounded<EventMessage>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_lock)
        {
            _subscribers.Add(channel);
            return ([.. _recent], new EventSubscription(this, channel));
        }
    }

    internal void Unsubscribe(Channel<EventMessage> channel)
    {
        lock (_lock) _subscribers.Remove(channel);
        channel.Writer.TryComplete();
    }
}

public sealed class EventSubscription : IDisposable
{
    private readonly EventHub _hub;
    private readonly Channel<EventMessage> _channel;

    internal EventSubscription(EventHub hub, Channel<EventMessage> channel) { _hub = hub; _channel = channel; }

    public ChannelReader<EventMessage> Reader => _channel.Reader;

    public void Dispose() => _hub.Unsubscribe(_channel);
}
