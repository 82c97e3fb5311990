using Berth.Network.Firewall;
using Berth.Network.Ipam;

namespace Berth.Tests.Network;

public sealed class IptablesRendererTests
{
    [Fact]
    public void Render_IsolatesNetworks_MasqueradesAndPublishes()
    {
        var a = new FirewallNetwork("bt0", Ipv4Subnet.Parse("10.1.0.0/24"), Internal: false);
        var b = new FirewallNetwork("br-aaa", Ipv4Subnet.Parse("10.2.0.0/24"), Internal: false);
        var i = new FirewallNetwork("br-int", Ipv4Subnet.Parse("10.3.0.0/24"), Internal: true);
        var text = IptablesRenderer.Render("bt0", [a, b, i], [new PortRule("tcp", "0.0.0.0", 8080, "10.1.0.2", 80, "bt0"), new PortRule("udp", "127.0.0.1", 53, "10.1.0.2", 53, "bt0")]);
        var lines = text.Split('\n');
        Assert.Contains(":BERTH-bt0 - [0:0]", lines);
        Assert.Contains(":BERTH-bt0-POST - [0:0]", lines);
        Assert.Contains("-A BERTH-bt0 -i bt0 -o br-aaa -j DROP", lines);
        Assert.Contains("-A BERTH-bt0 -i br-aaa -o bt0 -j DROP", lines);
        Assert.Contains("-A BERTH-bt0 -i br-int ! -o br-int -j DROP", lines);
        Assert.Contains("-A BERTH-bt0 -o br-int ! -i br-int -j DROP", lines);
        Assert.Contains("-A BERTH-bt0-POST -s 10.1.0.0/24 ! -o bt0 -j MASQUERADE", lines);
        Assert.DoesNotContain(lines, l => l.Contains("10.3.0.0/24", StringComparison.Ordinal)); // internal: no way out
        Assert.Contains("-A BERTH-bt0 ! -i bt0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.1.0.2:80", lines);
        Assert.Contains("-A BERTH-bt0 -d 127.0.0.1/32 ! -i bt0 -p udp -m udp --dport 53 -j DNAT --to-destination 10.1.0.2:53", lines);
        // Published ports stay open to other networks through DNAT (and their replies), ahead of the isolation drops ...
        var dnatAccept = Array.IndexOf(lines, "-A BERTH-bt0 -d 10.1.0.2/32 -o bt0 -p tcp -m tcp --dport 80 -m conntrack --ctstate DNAT -j ACCEPT");
        Assert.True(dnatAccept >= 0 && dnatAccept < Array.IndexOf(lines, "-A BERTH-bt0 -i br-aaa -o bt0 -j DROP"));
        Assert.True(Array.IndexOf(lines, "-A BERTH-bt0 -i br-int ! -o br-int -j DROP") < dnatAccept);
        // ... but every other accept that would let the traffic through comes after the drops.
        var firstAccept = Array.FindIndex(lines, l => l.EndsWith("-j ACCEPT", StringComparison.Ordinal) && !l.Contains("--ctstate", StringComparison.Ordinal));
        var lastDrop = Array.FindLastIndex(lines, l => l.EndsWith("-j DROP", StringComparison.Ordinal));
        Assert.True(lastDrop < firstAccept);
        Assert.Equal(2, lines.Count(l => l == "COMMIT"));
    }

    [Fact]
    public void ChainNames_FitIptablesLimit()
    {
        Assert.True(IptablesRenderer.PostChain("abcdefghijklmno").Length <= 28);
    }
}
