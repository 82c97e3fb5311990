namespace Berth.Network.Firewall;

/// <summary>One published port: traffic to <c>HostIp:HostPort</c> (any local address when HostIp is empty or 0.0.0.0) goes to the container.</summary>
public sealed record PortRule(string Protocol, string HostIp, int HostPort, string ContainerIp, int ContainerPort, string Bridge);
