namespace Berth.Network.Ipam;

/// <summary>
/// The addresses of one network: hands out each address at most once until it is released. Allocation is sequential
/// from the last address handed out (as libnetwork's bitmap does), so a just-released address is not reused at once
/// and a stale DNS answer or ARP entry does not reach a different container.
/// </summary>
public sealed class AddressPool
{
    private readonly HashSet<uint> _used = [];
    private readonly Lock _lock = new();
    private uint _last;

    public AddressPool(Ipv4Subnet subnet, Ipv4Subnet? range, uint gateway)
    {
        if (subnet.Prefix > 30) throw new ArgumentException($"subnet {subnet} is too small", nameof(subnet));
        var r = range ?? subnet;
        if (!subnet.Contains(r)) throw new ArgumentException($"ip-range {r} is not within subnet {subnet}", nameof(range));
        Subnet = subnet;
        Range = r;
        Gateway = gateway;
        _last = r.Network;
    }

    public Ipv4Subnet Subnet { get; }
    public Ipv4Subnet Range { get; }
    public uint Gateway { get; }

    public int InUse { get { lock (_lock) return _used.Count; } }

    /// <summary>The next free address of the range, skipping the subnet's network and broadcast addresses and the gateway.</summary>
    public uint Allocate()
    {
        lock (_lock)
        {
            var first = Math.Max(Range.Network, Subnet.Network + 1);
            var last = Math.Min(Range.Broadcast, Subnet.Broadcast - 1);
            var count = (ulong)last - first + 1;
            var candidate = _last;
            for (ulong i = 0; i < count; i++)
            {
                candidate = candidate >= last || candidate < first ? first : candidate + 1;
                if (candidate == Gateway || _used.Contains(candidate)) continue;
                _used.Add(candidate);
                _last = candidate;
                return candidate;
            }
            throw new PoolExhaustedException();
        }
    }

    /// <summary>Claims a given address (<c>--ip</c>, or one recorded before a daemon restart).</summary>
    public void Reserve(uint address)
    {
        lock (_lock)
        {
            if (!Subnet.Contains(address) || address == Subnet.Network || address == Subnet.Broadcast)
                throw new ArgumentOutOfRangeException(nameof(address), $"no configured subnet or ip-range contain the IP address {Ipv4.Format(address)}");
            if (address == Gateway || !_used.Add(address)) throw new InvalidOperationException("Address already in use");
        }
    }

    public bool IsUsed(uint address)
    {
        lock (_lock) return _used.Contains(address);
    }

    public void Release(uint address)
    {
        lock (_lock) _used.Remove(address);
    }
}
