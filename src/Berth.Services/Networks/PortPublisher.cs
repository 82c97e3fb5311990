using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Berth.Api.Models.Containers;
using Berth.Core.Errors;
using Berth.Network.Firewall;
using Berth.Network.Ipam;
using Berth.Network.PortMapping;
using Berth.Services.Containers;

namespace Berth.Services.Networks;

/// <summary>
/// Publishes a container's ports (<c>-p</c>, <c>-P</c>): binds each host port through a <see cref="PortProxy"/> (which
/// also picks random ports and detects ports in use) and records the DNAT rule for it. Returns the map inspect shows.
/// </summary>
internal static class PortPublisher
{
    public static Dictionary<string, List<PortBinding>?> Publish(ContainerDocument d, uint address, string bridge, string endpointId, Sandbox sandbox)
    {
        var result = new Dictionary<string, List<PortBinding>?>(StringComparer.Ordinal);
        var requests = new Dictionary<string, List<PortBinding>?>(d.HostConfig.PortBindings ?? [], StringComparer.Ordinal);
        foreach (var exposed in d.Config.ExposedPorts?.Keys ?? Enumerable.Empty<string>())
        {
            if (requests.ContainsKey(exposed)) continue;
            if (d.HostConfig.PublishAllPorts) requests[exposed] = [new PortBinding { HostIp = "", HostPort = "" }];
            else result[exposed] = null;
        }
        var target = Ipv4.ToIPAddress(address);
        foreach (var (key, bindings) in requests)
        {
            var (port, proto) = ParseKey(key);
            var list = new List<PortBinding>();
            foreach (var b in bindings is { Count: > 0 } ? bindings : [new PortBinding()])
            {
                var hostIp = string.IsNullOrEmpty(b.HostIp) ? "0.0.0.0" : b.HostIp;
                if (!IPAddress.TryParse(hostIp, out var ip)) throw new InvalidArgumentException($"invalid host IP {hostIp} for port {key}");
                if (ip.AddressFamily == AddressFamily.InterNetworkV6) continue; // IPv6 publishing is not supported yet; Docker adds it beside IPv4
                var proxy = Bind(d, endpointId, proto, ip, b.HostPort, new IPEndPoint(target, port));
                sandbox.Proxies.Add(proxy);
                var hostPort = proxy.HostEndPoint.Port;
                sandbox.Rules.Add(new PortRule(proto, hostIp, hostPort, Ipv4.Format(address), port, bridge));
                list.Add(new PortBinding { HostIp = hostIp, HostPort = hostPort.ToString(CultureInfo.InvariantCulture) });
            }
            result[key] = list;
        }
        return result;
    }

    /// <summary>Binds again the exact host ports recorded before a daemon restart.</summary>
    public static void Restore(ContainerDocument d, uint address, string bridge, string endpointId, Sandbox sandbox, Dictionary<string, List<PortBinding>?> published)
    {
        var target = Ipv4.ToIPAddress(address);
        foreach (var (key, list) in published)
        {
            if (list is null) continue;
            var (port, proto) = ParseKey(key);
            foreach (var b in list)
            {
                var proxy = Bind(d, endpointId, proto, IPAddress.Parse(b.HostIp ?? "0.0.0.0"), b.HostPort, new IPEndPoint(target, port));
                sandbox.Proxies.Add(proxy);
                sandbox.Rules.Add(new PortRule(proto, b.HostIp ?? "0.0.0.0", proxy.HostEndPoint.Port, Ipv4.Format(address), port, bridge));
            }
        }
    }

    private static PortProxy Bind(ContainerDocument d, string endpointId, string proto, IPAddress ip, string? hostPort, IPEndPoint target)
    {
        var (start, end) = ParseRange(hostPort);
        SocketException? last = null;
        for (var p = start; p <= end; p++)
        {
            try { return PortProxy.Start(proto, ip, p, target); }
            catch (SocketException ex) { last = ex; }
        }
        var shown = start == end ? start.ToString(CultureInfo.InvariantCulture) : hostPort;
        var reason = last?.SocketErrorCode == SocketError.AddressAlreadyInUse ? "address already in use" : last?.Message ?? "no port available";
        throw new EngineException(ErrorKind.Unknown,
            $"failed to set up container networking: driver failed programming external connectivity on endpoint {d.Name.TrimStart('/')} ({endpointId}): failed to bind host port for {ip}:{shown}:{target}/{proto}: {reason}");
    }

    private static (int Port, string Proto) ParseKey(string key)
    {
        var slash = key.IndexOf('/');
        var proto = slash < 0 ? "tcp" : key[(slash + 1)..].ToLowerInvariant();
        var text = slash < 0 ? key : key[..slash];
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new InvalidArgumentException($"invalid port specification: \"{key}\"");
        if (proto is not ("tcp" or "udp")) throw new InvalidArgumentException($"invalid proto: {proto}");
        return (port, proto);
    }

    private static (int Start, int End) ParseRange(string? hostPort)
    {
        if (string.IsNullOrEmpty(hostPort)) return (0, 0);
        var dash = hostPort.IndexOf('-');
        if (dash < 0)
        {
            return int.TryParse(hostPort, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535 ? (p, p)
                : throw new InvalidArgumentException($"invalid host port: {hostPort}");
        }
        if (int.TryParse(hostPort[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var a) &&
            int.TryParse(hostPort[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var b) && a <= b && b <= 65535)
            return (a, b);
        throw new InvalidArgumentException($"invalid host port range: {hostPort}");
    }
}
