namespace Berth.Services.Networks;

/// <summary>
/// The default bridge of this daemon (berthd <c>--bridge</c>, <c>--bip</c>). Its name also tags the daemon's firewall
/// chains, so two daemons on one host with different bridges never touch each other's bridge or rules.
/// </summary>
public sealed record BridgeOptions(string Bridge = "berth0", string Bip = "172.30.0.1/16", int Mtu = 1500);
