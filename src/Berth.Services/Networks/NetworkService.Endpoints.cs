using System.Globalization;
using System.Net;
using Berth.Api.Models.Containers;
using Berth.Core.Errors;
using Berth.Core.Ids;
using Berth.Network.Bridge;
using Berth.Network.Dns;
using Berth.Network.Ipam;
using Berth.Services.Containers;

namespace Berth.Services.Networks;

/// <summary>
/// The container side: the lifecycle calls <see cref="PrepareCreate"/> at create, <see cref="PrepareAsync"/> before
/// the runtime creates the container (addresses, host ports, /etc files: everything that can fail cleanly),
/// <see cref="AttachAsync"/> between runtime create and start (veths, addresses in the namespace, DNS, NAT), and
/// <see cref="ReleaseAsync"/> when it stops.
/// </summary>
public sealed partial class NetworkService
{
    /// <summary>Checks the network mode and endpoint settings of a create request; keys the endpoints by network name.</summary>
    public NetworkingConfig PrepareCreate(HostConfig host, NetworkingConfig? requested)
    {
        var mode = host.NetworkMode ?? "bridge";
        var result = new NetworkingConfig { EndpointsConfig = [] };
        if (mode.StartsWith("container:", StringComparison.Ordinal)) return result;
        // Not a 404: the docker CLI takes a 404 from create for a missing image and would try to pull it.
        NetworkState Known(string name) => TryFind(name) ?? throw new InvalidArgumentException($"network {name} not found");
        var primary = Known(mode);
        ValidateLinks(host);
        foreach (var (name, settings) in requested?.EndpointsConfig ?? [])
        {
            var key = name is "default" or "" ? "bridge" : name;
            var n = Known(key);
            if (!n.IsBridgeDriver && n.Name != primary.Name) throw new InvalidArgumentException($"container cannot be connected to network {n.Name} in {primary.Name} mode");
            Validate(n, settings);
            result.EndpointsConfig[n.Name] = new EndpointSettings
            {
                Aliases = settings.Aliases, IPAMConfig = settings.IPAMConfig, MacAddress = settings.MacAddress, DriverOpts = settings.DriverOpts,
                Links = n.HasDns ? settings.Links : null,   // a link is a DNS alias on user networks; the default bridge uses HostConfig.Links
            };
        }
        if (!result.EndpointsConfig.ContainsKey(primary.Name)) result.EndpointsConfig[primary.Name] = new EndpointSettings();
        return result;
    }

    private static void Validate(NetworkState n, EndpointSettings settings)
    {
        if (n.HasDns) _ = LinkAliases(settings);   // a malformed link fails the create or connect, not a later start
        if (settings.Aliases is { Count: > 0 } && (n.IsDefaultBridge || !n.IsBridgeDriver))
            throw new InvalidArgumentException("network-scoped alias is supported only for containers in user defined networks");
        if (settings.IPAMConfig?.IPv4Address is { Length: > 0 } ip)
        {
            if (n.IsDefaultBridge || !n.IsBridgeDriver) throw new InvalidArgumentException("user specified IP address is supported on user defined networks only");
            if (!Ipv4.TryParse(ip, out var a)) throw new InvalidArgumentException($"invalid IPv4 address: {ip}");
            if (n.Pool is { } p && !p.Subnet.Contains(a)) throw new InvalidArgumentException($"invalid endpoint settings:\nno configured subnet or ip-range contain the IP address {ip}");
        }
    }

    /// <summary>True when the container gets its own namespace plumbed into bridges (not host, none, container:).</summary>
    private bool UsesBridges(ContainerDocument d) =>
        d.HostConfig.NetworkMode is { } m && !m.StartsWith("container:", StringComparison.Ordinal) && TryFind(m) is { IsBridgeDriver: true };

    private List<(NetworkState Net, EndpointSettings Settings)> BridgeEndpoints(ContainerDocument d)
    {
        var list = new List<(NetworkState, EndpointSettings)>();
        var eps = d.NetworkingConfig?.EndpointsConfig ?? [];
        var primary = d.HostConfig.NetworkMode ?? "bridge";
        // The primary network first: it gets eth0 and the default route.
        foreach (var (name, settings) in eps.OrderBy(e => e.Key == primary || e.Value.NetworkID is { Length: > 0 } id && TryFind(primary)?.Id == id ? 0 : 1))
        {
            var n = (settings.NetworkID is { Length: > 0 } nid ? TryFind(nid) : null) ?? TryFind(name)
                ?? throw new NotFoundException($"failed to set up container networking: network {name} not found");
            if (n.IsBridgeDriver) list.Add((n, settings));
        }
        return list;
    }

    /// <summary>Before the runtime creates the container: addresses, host ports, /etc/hosts and resolv.conf. Undone on failure.</summary>
    public async Task PrepareAsync(ContainerDocument d, CancellationToken ct)
    {
        if (!UsesBridges(d)) return;
        var sandbox = new Sandbox(d.Id);
        _sandboxes[d.Id] = sandbox;
        try
        {
            var endpoints = BridgeEndpoints(d);
            foreach (var (n, s) in endpoints) Allocate(d, n, s);
            var (primary, ps) = endpoints[0];
            var address = Ipv4.Parse(ps.IPAddress!);
            d.PublishedPorts = PortPublisher.Publish(d, address, primary.Bridge, ps.EndpointID!, sandbox);
            var addresses = endpoints.Select(e => Ipv4.Parse(e.Settings.IPAddress!)).ToList();
            NetworkFiles.Write(d, addresses, LinkRecords(d), endpoints.Any(e => e.Net.HasDns), DefaultGateway());
            if (primary.IsDefaultBridge) RefreshLinkingParents(d, address);
        }
        catch
        {
            await ReleaseAsync(d);
            throw;
        }
    }

    private void Allocate(ContainerDocument d, NetworkState n, EndpointSettings s)
    {
        var pool = n.Pool ?? throw new FailedPreconditionException($"network {n.Name} has no address pool");
        uint address;
        if (s.IPAMConfig?.IPv4Address is { Length: > 0 } wanted)
        {
            address = Ipv4.Parse(wanted);
            try { pool.Reserve(address); }
            catch (ArgumentOutOfRangeException ex) { throw new InvalidArgumentException($"invalid endpoint settings:\n{ex.Message.Split(" (Parameter")[0]}"); }
            catch (InvalidOperationException) { throw new ConflictException("failed to set up container networking: Address already in use"); }
        }
        else
        {
            try { address = pool.Allocate(); }
            catch (PoolExhaustedException ex) { throw new FailedPreconditionException($"failed to set up container networking: {ex.Message}: {n.Name} ({n.Id})"); }
        }
        var endpointId = IdGenerator.NewId();
        s.NetworkID = n.Id;
        s.EndpointID = endpointId;
        s.IPAddress = Ipv4.Format(address);
        s.IPPrefixLen = pool.Subnet.Prefix;
        s.Gateway = n.Resource.Internal ? "" : Ipv4.Format(pool.Gateway);
        s.MacAddress = Ipv4.MacFor(address);
        var aliases = new List<string>(s.Aliases ?? []);
        s.DNSNames = n.HasDns ? [d.Name.TrimStart('/'), .. aliases, d.Id[..12]] : null;
        n.Endpoints[d.Id] = new ActiveEndpoint(d.Id, n.Name, endpointId, address, s.MacAddress, aliases) { Links = LinkAliases(s) };
    }

    /// <summary>Between runtime create and start: veth pairs into the container's namespace, addresses, route, DNS, NAT.</summary>
    public async Task AttachAsync(ContainerDocument d, int pid, CancellationToken ct)
    {
        if (!_sandboxes.TryGetValue(d.Id, out var sandbox)) return;
        sandbox.Pid = pid;
        var plans = new List<(ActiveEndpoint Ep, NetworkState Net)>();
        foreach (var (n, _) in BridgeEndpoints(d))
        {
            if (n.Endpoints.TryGetValue(d.Id, out var ep)) plans.Add((ep, n));
        }
        foreach (var (ep, n) in plans) await PlugAsync(sandbox, ep, n, ct);
        var gateway = plans.FirstOrDefault(p => !p.Net.Resource.Internal).Net?.Pool?.Gateway;
        var wantDns = plans.Any(p => p.Net.HasDns);
        var sockets = await NetnsConfigurator.RunInAsync(sandbox.NetnsPath, () =>
        {
            NetnsConfigurator.ConfigureInterface("lo");
            foreach (var (ep, n) in plans) NetnsConfigurator.ConfigureInterface(ep.IfName, ep.Address, n.Pool!.Subnet.Prefix);
            if (gateway is { } gw) NetnsConfigurator.AddDefaultRoute(gw);
            return wantDns ? EmbeddedDnsServer.OpenSockets() : ((System.Net.Sockets.Socket, System.Net.Sockets.Socket)?)null;
        });
        if (sockets is { } s) sandbox.Dns = EmbeddedDnsServer.Serve(s, d.Id, _dns);
        if (sandbox.Rules.Count > 0) await ApplyFirewallAsync(ct);
    }

    private async Task PlugAsync(Sandbox sandbox, ActiveEndpoint ep, NetworkState n, CancellationToken ct)
    {
        ep.IfName = "eth" + sandbox.NextInterface.ToString(CultureInfo.InvariantCulture);
        sandbox.NextInterface++;
        ep.HostVeth = BridgeDriver.NewVethName();
        await BridgeDriver.CreateVethAsync(ep.HostVeth, n.Bridge, sandbox.Pid, ep.IfName, ep.Mac, _options.Mtu, ct);
    }

    /// <summary>When the container stops or fails to start: DNS, proxies, NAT rules, veths, addresses. Safe to call twice.</summary>
    public async Task ReleaseAsync(ContainerDocument d)
    {
        var hadRules = false;
        if (_sandboxes.TryRemove(d.Id, out var sandbox))
        {
            if (sandbox.Dns is { } dns) await dns.DisposeAsync();
            foreach (var p in sandbox.Proxies) await p.DisposeAsync();
            hadRules = sandbox.Rules.Count > 0;
        }
        foreach (var n in _byId.Values)
        {
            if (!n.Endpoints.TryRemove(d.Id, out var ep)) continue;
            n.Pool?.Release(ep.Address);
            // Usually gone with the namespace already; a container that never started leaves it behind.
            if (ep.HostVeth.Length > 0) await DeleteQuietlyAsync(ep.HostVeth);
        }
        foreach (var s in d.NetworkingConfig?.EndpointsConfig?.Values ?? Enumerable.Empty<EndpointSettings>())
        {
            s.EndpointID = ""; s.IPAddress = ""; s.IPPrefixLen = 0; s.Gateway = ""; s.MacAddress = ""; s.DNSNames = null;
        }
        d.PublishedPorts = null;
        if (hadRules)
        {
            try { await ApplyFirewallAsync(CancellationToken.None); }
            catch (IOException ex) { _log($"firewall update after {d.Id} stopped: {ex.Message}"); } // rules of a stopped container point nowhere; the next apply drops them
        }
    }

    private async Task DeleteQuietlyAsync(string link)
    {
        try { await BridgeDriver.DeleteLinkAsync(link, CancellationToken.None); }
        catch (IOException ex) { _log($"delete {link}: {ex.Message}"); } // best effort: the namespace may be going away with it
    }

    /// <summary>After a daemon restart, for a container still running: addresses back in IPAM, DNS, proxies and NAT again.</summary>
    public async Task RestoreAsync(ContainerDocument d, int pid, CancellationToken ct)
    {
        if (!UsesBridges(d) || pid <= 0) return;
        var sandbox = new Sandbox(d.Id) { Pid = pid };
        _sandboxes[d.Id] = sandbox;
        var wantDns = false;
        foreach (var (n, s) in BridgeEndpoints(d))
        {
            if (!Ipv4.TryParse(s.IPAddress ?? "", out var address)) continue;
            try { n.Pool?.Reserve(address); }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentOutOfRangeException) { _log($"restore {d.Id} on {n.Name}: {ex.Message}"); }
            n.Endpoints[d.Id] = new ActiveEndpoint(d.Id, n.Name, s.EndpointID ?? "", address, s.MacAddress ?? "", s.Aliases ?? []) { Links = LinkAliases(s) };
            wantDns |= n.HasDns;
            sandbox.NextInterface++;
        }
        try
        {
            var primary = BridgeEndpoints(d).FirstOrDefault();
            if (d.PublishedPorts is { } published && primary.Net is not null && Ipv4.TryParse(primary.Settings.IPAddress ?? "", out var ip))
                PortPublisher.Restore(d, ip, primary.Net.Bridge, primary.Settings.EndpointID ?? "", sandbox, published);
            if (wantDns)
            {
                var sockets = await NetnsConfigurator.RunInAsync(sandbox.NetnsPath, EmbeddedDnsServer.OpenSockets);
                sandbox.Dns = EmbeddedDnsServer.Serve(sockets, d.Id, _dns);
            }
            if (sandbox.Rules.Count > 0) await ApplyFirewallAsync(ct);
        }
        catch (Exception ex) when (ex is IOException or EngineException or System.Net.Sockets.SocketException)
        {
            _log($"restore networking of {d.Id}: {ex.Message}");
        }
    }

    internal string? ContainerName(string containerId) => _containers.TryGet(containerId)?.Name.TrimStart('/');

    internal IReadOnlyList<IPEndPoint> UpstreamsOf(string containerId)
    {
        var c = _containers.TryGet(containerId);
        if (c is null) return [];
        var list = new List<IPEndPoint>();
        foreach (var s in NetworkFiles.Upstreams(c.Doc))
        {
            if (IPAddress.TryParse(s, out var ip) && !(ip.Equals(IPAddress.Parse("127.0.0.11")))) list.Add(new IPEndPoint(ip, 53));
        }
        return list;
    }

    private uint DefaultGateway() => TryFind("bridge")?.Pool?.Gateway ?? 0;

    public bool IsKnownNetwork(string idOrName) => TryFind(idOrName) is not null;
}
