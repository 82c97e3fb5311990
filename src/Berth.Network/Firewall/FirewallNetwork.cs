using Berth.Network.Ipam;

namespace Berth.Network.Firewall;

/// <summary>What the firewall needs to know of one bridge network.</summary>
public sealed record FirewallNetwork(string Bridge, Ipv4Subnet Subnet, bool Internal, bool Masquerade = true, bool InterContainer = true);
