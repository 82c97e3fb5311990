namespace Berth.Network.Ipam;

/// <summary>Every address of a network's range is taken.</summary>
public sealed class PoolExhaustedException() : Exception("no available IPv4 addresses on this network's address pools");
