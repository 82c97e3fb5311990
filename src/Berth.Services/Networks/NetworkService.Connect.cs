using System.Globalization;
using Berth.Api.Models.Containers;
using Berth.Core.Errors;
using Berth.Network.Bridge;
using Berth.Network.Dns;
using Berth.Network.Ipam;

namespace Berth.Services.Networks;

/// <summary><c>network connect</c> / <c>disconnect</c>, live on a running container, and the NetworkSettings inspect shows.</summary>
public sealed partial class NetworkService
{
    public async Task ConnectAsync(string network, string container, EndpointSettings? config, CancellationToken ct)
    {
        var n = Find(network);
        var c = _containers.Get(container);
        var mode = c.Doc.HostConfig.NetworkMode ?? "bridge";
        if (mode is "host" || !n.IsBridgeDriver) throw Forbidden("container cannot be disconnected from host network or connected to host network");
        if (mode is "none" || mode.StartsWith("container:", StringComparison.Ordinal))
            throw Forbidden("container sharing network namespace with another container or host cannot be connected to any other network");
        config ??= new EndpointSettings();
        Validate(n, config);
        await c.Lock.WaitAsync(ct);
        try
        {
            var d = c.Doc;
            d.NetworkingConfig ??= new NetworkingConfig();
            var eps = d.NetworkingConfig.EndpointsConfig ??= [];
            if (eps.ContainsKey(n.Name)) throw Forbidden($"endpoint with name {c.Name.TrimStart('/')} already exists in network {n.Name}");
            var settings = new EndpointSettings
            {
                Aliases = config.Aliases, IPAMConfig = config.IPAMConfig, MacAddress = config.MacAddress, DriverOpts = config.DriverOpts,
                Links = n.HasDns ? config.Links : null,
            };
            eps[n.Name] = settings;
            if (d.State.Running && _sandboxes.TryGetValue(d.Id, out var sandbox))
            {
                try
                {
                    Allocate(d, n, settings);
                    var ep = n.Endpoints[d.Id];
                    await PlugAsync(sandbox, ep, n, ct);
                    var wantDns = n.HasDns && sandbox.Dns is null;
                    var sockets = await NetnsConfigurator.RunInAsync(sandbox.NetnsPath, () =>
                    {
                        NetnsConfigurator.ConfigureInterface(ep.IfName, ep.Address, n.Pool!.Subnet.Prefix);
                        return wantDns ? EmbeddedDnsServer.OpenSockets() : ((System.Net.Sockets.Socket, System.Net.Sockets.Socket)?)null;
                    });
                    if (sockets is { } s)
                    {
                        sandbox.Dns = EmbeddedDnsServer.Serve(s, d.Id, _dns);
                        // Started on a network without DNS (the default bridge): its resolv.conf named the host's resolvers, so
                        // names on the new network would not resolve. moby rewrites it to the embedded server; so do we.
                        NetworkFiles.UseEmbeddedDns(d);
                    }
                    NetworkFiles.AddHostsEntry(d, ep.Address);
                }
                catch
                {
                    eps.Remove(n.Name);
                    if (n.Endpoints.TryRemove(d.Id, out var ep))
                    {
                        n.Pool?.Release(ep.Address);
                        if (ep.HostVeth.Length > 0) await DeleteQuietlyAsync(ep.HostVeth);
                    }
                    throw;
                }
            }
            _containers.Persist(c);
        }
        finally
        {
            c.Lock.Release();
        }
        _events.Publish("network", "connect", n.Id, new Dictionary<string, string> { ["container"] = c.Id, ["name"] = n.Name, ["type"] = n.Resource.Driver });
    }

    public async Task DisconnectAsync(string network, string container, bool force, CancellationToken ct)
    {
        var n = Find(network);
        var c = _containers.Get(container);
        await c.Lock.WaitAsync(ct);
        try
        {
            var d = c.Doc;
            var eps = d.NetworkingConfig?.EndpointsConfig;
            if (eps is null || !eps.ContainsKey(n.Name))
            {
                if (force) return;
                throw Forbidden($"container {c.Id} is not connected to network {n.Name}");
            }
            if ((d.HostConfig.NetworkMode ?? "") == "host" || !n.IsBridgeDriver) throw Forbidden("container cannot be disconnected from host network or connected to host network");
            if (n.Endpoints.TryRemove(d.Id, out var ep))
            {
                n.Pool?.Release(ep.Address);
                if (ep.HostVeth.Length > 0) await DeleteQuietlyAsync(ep.HostVeth);
                NetworkFiles.RemoveHostsEntry(d, ep.Address);
            }
            eps.Remove(n.Name);
            _containers.Persist(c);
        }
        finally
        {
            c.Lock.Release();
        }
        _events.Publish("network", "disconnect", n.Id, new Dictionary<string, string> { ["container"] = c.Id, ["name"] = n.Name, ["type"] = n.Resource.Driver });
    }

    /// <summary>NetworkSettings for inspect (and the Networks of a list entry).</summary>
    public NetworkSettings SettingsOf(Containers.ContainerDocument d)
    {
        var running = d.State.Running && d.State.Pid > 0;
        var settings = new NetworkSettings { SandboxKey = running ? $"/proc/{d.State.Pid}/ns/net" : "", SandboxID = running ? d.Id : "" };
        var mode = d.HostConfig.NetworkMode ?? "bridge";
        if (mode.StartsWith("container:", StringComparison.Ordinal)) return settings;
        foreach (var (name, s) in d.NetworkingConfig?.EndpointsConfig ?? [])
        {
            var n = TryFind(name);
            settings.Networks[name] = new EndpointSettings
            {
                IPAMConfig = s.IPAMConfig, Links = s.Links, Aliases = s.Aliases, MacAddress = s.MacAddress ?? "", DriverOpts = s.DriverOpts,
                NetworkID = n?.Id ?? s.NetworkID ?? "", EndpointID = s.EndpointID ?? "", Gateway = s.Gateway ?? "", IPAddress = s.IPAddress ?? "",
                IPPrefixLen = s.IPPrefixLen, IPv6Gateway = "", GlobalIPv6Address = "", DNSNames = s.DNSNames,
            };
        }
        if (settings.Networks.Count == 0 && TryFind(mode) is { } only) settings.Networks[only.Name] = new EndpointSettings { NetworkID = only.Id, EndpointID = "", Gateway = "", IPAddress = "", MacAddress = "" };
        if (settings.Networks.TryGetValue("bridge", out var b))
        {
            settings.IPAddress = b.IPAddress ?? ""; settings.Gateway = b.Gateway ?? ""; settings.MacAddress = b.MacAddress ?? "";
            settings.IPPrefixLen = b.IPPrefixLen; settings.EndpointID = b.EndpointID ?? "";
        }
        if (running && d.PublishedPorts is { } ports) settings.Ports = ports;
        return settings;
    }

    /// <summary>The Ports of a <c>docker ps</c> entry.</summary>
    public List<PortSummary> PortSummaries(Containers.ContainerDocument d)
    {
        var list = new List<PortSummary>();
        if (!d.State.Running || d.PublishedPorts is not { } ports) return list;
        foreach (var (key, bindings) in ports)
        {
            var slash = key.IndexOf('/');
            var port = int.Parse(slash < 0 ? key : key[..slash], CultureInfo.InvariantCulture);
            var type = slash < 0 ? "tcp" : key[(slash + 1)..];
            if (bindings is null) { list.Add(new PortSummary { PrivatePort = port, Type = type }); continue; }
            foreach (var b in bindings)
                list.Add(new PortSummary { IP = b.HostIp, PrivatePort = port, PublicPort = int.Parse(b.HostPort ?? "0", CultureInfo.InvariantCulture), Type = type });
        }
        return list;
    }

    /// <summary>Removes the default bridge and this daemon's firewall chains (for <c>berthd --bridge none</c>-style cleanups and tests).</summary>
    public static async Task RemoveDaemonArtifactsAsync(string bridge, CancellationToken ct)
    {
        await Berth.Network.Firewall.IptablesFirewall.RemoveAllAsync(bridge, ct);
        await BridgeDriver.DeleteLinkAsync(bridge, ct);
    }

    internal static string FormatAddress(uint a) => Ipv4.Format(a);
}
