using Berth.Network.Ipam;

namespace Berth.Tests.Network;

public sealed class IpamTests
{
    [Theory]
    [InlineData("10.1.2.3/16", "10.1.0.0/16")]
    [InlineData("172.18.0.0/16", "172.18.0.0/16")]
    [InlineData("192.168.1.77/32", "192.168.1.77/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void Subnet_Parse_ClearsHostBits(string text, string expected) => Assert.Equal(expected, Ipv4Subnet.Parse(text).ToString());

    [Theory]
    [InlineData("10.1.0.0")]
    [InlineData("10.1.0.0/33")]
    [InlineData("10.1.0/16")]
    [InlineData("10.1.0.0/-1")]
    [InlineData("::1/64")]
    [InlineData("")]
    public void Subnet_TryParse_RejectsBadInput(string text) => Assert.False(Ipv4Subnet.TryParse(text, out _));

    [Theory]
    [InlineData("10.0.0.0/8", "10.5.0.0/16", true)]
    [InlineData("10.5.0.0/16", "10.0.0.0/8", true)]
    [InlineData("10.5.0.0/16", "10.6.0.0/16", false)]
    [InlineData("192.168.0.0/20", "192.168.16.0/20", false)]
    [InlineData("192.168.0.0/20", "192.168.15.0/24", true)]
    public void Subnet_Overlaps(string a, string b, bool expected) => Assert.Equal(expected, Ipv4Subnet.Parse(a).Overlaps(Ipv4Subnet.Parse(b)));

    [Fact]
    public void Pool_SkipsNetworkGatewayAndBroadcast_AndNeverHandsOutTwice()
    {
        var subnet = Ipv4Subnet.Parse("10.9.0.0/29"); // .0 network, .1 gateway, .2-.6 usable, .7 broadcast
        var pool = new AddressPool(subnet, null, Ipv4.Parse("10.9.0.1"));
        var got = Enumerable.Range(0, 5).Select(_ => Ipv4.Format(pool.Allocate())).ToList();
        Assert.Equal(["10.9.0.2", "10.9.0.3", "10.9.0.4", "10.9.0.5", "10.9.0.6"], got);
        Assert.Throws<PoolExhaustedException>(() => pool.Allocate());
    }

    [Fact]
    public void Pool_ReleasedAddress_IsReusedOnlyAfterTheOthers()
    {
        var pool = new AddressPool(Ipv4Subnet.Parse("10.9.0.0/24"), null, Ipv4.Parse("10.9.0.1"));
        var a = pool.Allocate();
        var b = pool.Allocate();
        pool.Release(a);
        var c = pool.Allocate();
        Assert.NotEqual(a, c);
        Assert.Equal(b + 1, c);
    }

    [Fact]
    public void Pool_WrapsAroundToReleasedAddresses()
    {
        var pool = new AddressPool(Ipv4Subnet.Parse("10.9.0.0/30"), null, Ipv4.Parse("10.9.0.1"));
        var only = pool.Allocate(); // .2 is the only host address besides the gateway
        Assert.Equal("10.9.0.2", Ipv4.Format(only));
        pool.Release(only);
        Assert.Equal(only, pool.Allocate());
    }

    [Fact]
    public void Pool_HonoursIpRange()
    {
        var pool = new AddressPool(Ipv4Subnet.Parse("10.9.0.0/16"), Ipv4Subnet.Parse("10.9.5.0/24"), Ipv4.Parse("10.9.0.1"));
        Assert.Equal("10.9.5.1", Ipv4.Format(pool.Allocate()));
        Assert.Equal("10.9.5.2", Ipv4.Format(pool.Allocate()));
    }

    [Fact]
    public void Pool_Reserve_RejectsTakenOutsideAndGateway()
    {
        var pool = new AddressPool(Ipv4Subnet.Parse("10.9.0.0/24"), null, Ipv4.Parse("10.9.0.1"));
        pool.Reserve(Ipv4.Parse("10.9.0.50"));
        Assert.True(pool.IsUsed(Ipv4.Parse("10.9.0.50")));
        Assert.Throws<InvalidOperationException>(() => pool.Reserve(Ipv4.Parse("10.9.0.50")));
        Assert.Throws<InvalidOperationException>(() => pool.Reserve(Ipv4.Parse("10.9.0.1")));
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Reserve(Ipv4.Parse("10.10.0.5")));
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Reserve(Ipv4.Parse("10.9.0.255")));
        // Allocation continues around a reserved address.
        for (var i = 0; i < 252; i++) Assert.NotEqual(Ipv4.Parse("10.9.0.50"), pool.Allocate());
        Assert.Throws<PoolExhaustedException>(() => pool.Allocate());
    }

    [Fact]
    public void Pool_ConcurrentAllocations_AreDistinct()
    {
        var pool = new AddressPool(Ipv4Subnet.Parse("10.9.0.0/22"), null, Ipv4.Parse("10.9.0.1"));
        var results = new System.Collections.Concurrent.ConcurrentBag<uint>();
        Parallel.For(0, 1000, _ => results.Add(pool.Allocate()));
        Assert.Equal(1000, results.Distinct().Count());
    }

    [Fact]
    public void Picker_SkipsUsedSubnetsAndRoutes()
    {
        var used = new[] { Ipv4Subnet.Parse("172.18.0.0/16"), Ipv4Subnet.Parse("172.19.5.0/24") };
        Assert.Equal("172.20.0.0/16", SubnetPicker.Pick(used)!.Value.ToString());
        var all = Enumerable.Range(18, 14).Select(b => Ipv4Subnet.Parse($"172.{b}.0.0/16")).Append(Ipv4Subnet.Parse("192.168.0.0/24"));
        Assert.Equal("192.168.16.0/20", SubnetPicker.Pick(all)!.Value.ToString());
        Assert.Null(SubnetPicker.Pick([Ipv4Subnet.Parse("0.0.0.0/0")]));
    }

    [Fact]
    public void Picker_ReadsProcNetRoute()
    {
        var path = Path.Combine(Path.GetTempPath(), "route-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
            "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n" +
            "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n" +
            "br0\t000012AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n");
        try
        {
            var routes = SubnetPicker.HostRoutes(path).Select(r => r.ToString()).ToList();
            Assert.Equal(["192.0.2.0/24", "172.18.0.0/16"], routes);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MacFor_FollowsDockersScheme() => Assert.Equal("02:42:ac:11:00:02", Ipv4.MacFor(Ipv4.Parse("172.17.0.2")));
}
