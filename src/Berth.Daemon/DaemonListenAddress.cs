using System.Net;

namespace Berth.Daemon;

/// <summary>
/// One <c>-H</c> value: <c>unix:///path</c> or <c>tcp://ADDR[:PORT]</c> (port 2376 by default, as dockerd with TLS;
/// an empty address means every interface). TCP is accepted only with <c>--tlsverify</c>: the API is root on this host.
/// </summary>
internal sealed record DaemonListenAddress(string? UnixPath, IPEndPoint? Tcp)
{
    public static DaemonListenAddress Parse(string host, bool tlsVerify, bool tls)
    {
        if (host.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = host["unix://".Length..];
            if (path.Length == 0) throw new ArgumentException($"invalid -H {host}: the unix socket path is empty");
            return new DaemonListenAddress(path, null);
        }
        if (host.StartsWith("fd://", StringComparison.Ordinal))
            throw new ArgumentException($"refusing to listen on {host}: socket activation (fd://) is not supported");
        var rest = host.StartsWith("tcp://", StringComparison.Ordinal) ? host["tcp://".Length..]
            : host.Contains("://", StringComparison.Ordinal) ? throw new ArgumentException($"invalid -H {host}: unix:// or tcp:// expected")
            : host;
        if (!tlsVerify)
        {
            throw new ArgumentException(tls
                ? $"refusing to listen on {host}: --tls without --tlsverify would let anyone with network access control this host as root; add --tlsverify with --tlscacert, --tlscert and --tlskey"
                : $"refusing to listen on {host} without TLS: a plain TCP API gives root on this host to anyone who can connect; use --tlsverify with --tlscacert, --tlscert and --tlskey (or a unix:// socket)");
        }
        rest = rest.TrimEnd('/');
        var port = 2376;
        string address;
        var colon = rest.LastIndexOf(':');
        if (colon >= 0 && !rest.EndsWith(']'))
        {
            address = rest[..colon];
            if (!int.TryParse(rest[(colon + 1)..], out port) || port is < 0 or > 65535)
                throw new ArgumentException($"invalid -H {host}: bad port");
        }
        else
        {
            address = rest;
        }
        address = address.Trim('[', ']');
        IPAddress ip;
        if (address.Length == 0 || address == "0.0.0.0") ip = IPAddress.Any;
        else if (address == "localhost") ip = IPAddress.Loopback;
        else if (!IPAddress.TryParse(address, out ip!)) throw new ArgumentException($"invalid -H {host}: \"{address}\" is not an IP address");
        return new DaemonListenAddress(null, new IPEndPoint(ip, port));
    }
}
