using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Berth.Network.Dns;

/// <summary>
/// Sends queries the embedded server cannot answer to the host's resolvers, from the daemon's own namespace (so the
/// host's loopback resolvers work too). An upstream that did not answer is skipped for a while, so a host without a
/// reachable resolver gets SERVFAIL at once instead of a timeout on every lookup.
/// </summary>
public sealed class DnsForwarder(TimeSpan? timeout = null, TimeSpan? deadFor = null, TimeProvider? time = null)
{
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(2);
    private readonly TimeSpan _deadFor = deadFor ?? TimeSpan.FromSeconds(30);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<IPEndPoint, DateTimeOffset> _deadUntil = new();

    /// <summary>The answer of the first upstream that gives one, or null when none does.</summary>
    public async Task<byte[]?> ForwardAsync(byte[] query, IReadOnlyList<IPEndPoint> upstreams, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        foreach (var upstream in upstreams)
        {
            if (_deadUntil.TryGetValue(upstream, out var until) && until > now) continue;
            var answer = await TryUdpAsync(query, upstream, ct);
            if (answer is not null)
            {
                _deadUntil.TryRemove(upstream, out _);
                return answer;
            }
            _deadUntil[upstream] = _time.GetUtcNow() + _deadFor;
        }
        return null;
    }

    private async Task<byte[]?> TryUdpAsync(byte[] query, IPEndPoint upstream, CancellationToken ct)
    {
        using var socket = new Socket(upstream.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(_timeout);
        try
        {
            // Connected, so an ICMP unreachable ends the wait at once (ECONNREFUSED) instead of after the timeout.
            await socket.ConnectAsync(upstream, cts.Token);
            await socket.SendAsync(query, SocketFlags.None, cts.Token);
            var buf = new byte[65535];
            while (true)
            {
                var n = await socket.ReceiveAsync(buf, SocketFlags.None, cts.Token);
                if (n >= DnsMessage.HeaderSize && DnsMessage.Id(buf) == DnsMessage.Id(query)) return buf[..n];
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }
}
