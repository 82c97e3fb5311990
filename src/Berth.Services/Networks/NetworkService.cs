using System.Collections.Concurrent;
using System.Text.Json;
using Berth.Api.Models.Networks;
using Berth.Core.Errors;
using Berth.Core.Ids;
using Berth.Network.Bridge;
using Berth.Network.Dns;
using Berth.Network.Firewall;
using Berth.Network.Ipam;
using Berth.Services.Containers;
using Berth.Services.Events;
using Berth.Storage;

namespace Berth.Services.Networks;

/// <summary>
/// Networks: the predefined bridge/host/none, user-defined bridge networks (create, list, inspect, remove, prune,
/// connect, disconnect), and the per-container plumbing the container lifecycle calls into
/// (NetworkService.Endpoints.cs). Addresses are held only by running containers and recorded in their documents, so
/// IPAM is rebuilt from those after a restart.
/// </summary>
public sealed partial class NetworkService
{
    private readonly ConcurrentDictionary<string, NetworkState> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Sandbox> _sandboxes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly MetadataStore _meta;
    private readonly ContainerService _containers;
    private readonly EventHub _events;
    private readonly BridgeOptions _options;
    private readonly IptablesFirewall _firewall;
    private readonly DnsResponder _dns;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;

    public NetworkService(MetadataStore meta, ContainerService containers, EventHub events, BridgeOptions options, TimeProvider? time = null, Action<string>? log = null)
    {
        _meta = meta; _containers = containers; _events = events; _options = options;
        _time = time ?? TimeProvider.System;
        _log = log ?? (_ => { });
        if (options.Bridge.Length is 0 or > 15 || options.Bridge.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            throw new InvalidArgumentException($"invalid bridge name: {options.Bridge}");
        _firewall = new IptablesFirewall(options.Bridge);
        _dns = new DnsResponder(new DnsNames(this), new DnsForwarder());
        containers.Networks = this;
    }

    internal IEnumerable<NetworkState> All => _byId.Values;

    /// <summary>Loads the stored networks, creates the predefined ones, and makes sure bridges and firewall rules exist.</summary>
    public async Task LoadAsync(CancellationToken ct)
    {
        foreach (var (id, _, json) in _meta.ListNetworks())
        {
            NetworkDocument? doc;
            try { doc = JsonSerializer.Deserialize(json, NetworksJsonContext.Default.NetworkDocument); }
            catch (JsonException ex) { _log($"network {id}: unreadable record: {ex.Message}"); continue; }
            if (doc is not null) _byId[doc.Resource.Id] = WithPool(new NetworkState(doc));
        }
        var bip = ParseBip(_options.Bip);
        var bridge = TryFind("bridge");
        if (bridge is null || bridge.Bridge != _options.Bridge || bridge.Resource.IPAM.Config?.FirstOrDefault()?.Subnet != bip.Subnet.ToString())
        {
            // First start, or --bridge/--bip changed: the default network follows the flags.
            if (bridge is not null) { _byId.TryRemove(bridge.Id, out _); _meta.DeleteNetwork(bridge.Id); }
            var options = new Dictionary<string, string>
            {
                ["com.docker.network.bridge.default_bridge"] = "true", ["com.docker.network.bridge.enable_icc"] = "true",
                ["com.docker.network.bridge.enable_ip_masquerade"] = "true", ["com.docker.network.bridge.host_binding_ipv4"] = "0.0.0.0",
                ["com.docker.network.bridge.name"] = _options.Bridge, ["com.docker.network.driver.mtu"] = _options.Mtu.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            Add(NewResource("bridge", "bridge", [new IpamConfig { Subnet = bip.Subnet.ToString(), Gateway = Ipv4.Format(bip.Gateway) }], options), _options.Bridge);
        }
        if (TryFind("host") is null) Add(NewResource("host", "host", [], []), "");
        if (TryFind("none") is null) Add(NewResource("none", "null", [], []), "");
        foreach (var n in _byId.Values.Where(n => n.IsBridgeDriver)) await EnsureBridgeAsync(n, ct);
        await ApplyFirewallAsync(ct);
    }

    public List<NetworkResource> List(IReadOnlyDictionary<string, IReadOnlyList<string>> filters) =>
        [.. _byId.Values.Where(n => Matches(n, filters)).OrderBy(n => n.Name, StringComparer.Ordinal).Select(n => Render(n, withContainers: false))];

    public NetworkResource Inspect(string idOrName) => Render(Find(idOrName), withContainers: true);

    public async Task<NetworkCreateResponse> CreateAsync(NetworkCreateRequest req, CancellationToken ct)
    {
        var name = req.Name ?? "";
        if (name.Length == 0) throw new InvalidArgumentException("network name cannot be empty");
        var driver = string.IsNullOrEmpty(req.Driver) ? "bridge" : req.Driver;
        if (driver != "bridge")
            throw driver is "host" or "null" ? Forbidden($"only one instance of \"{driver}\" network is allowed")
                : new NotFoundException($"plugin \"{driver}\" not found");
        if (req.EnableIPv6 == true)
        {
            // No IPv6 address pools: Docker's own answer when it has none to pick from (and it has no default ones
            // before v27); an explicit IPv6 subnet is refused just as plainly rather than half-served.
            if (req.IPAM?.Config?.Any(c => c.Subnet?.Contains(':', StringComparison.Ordinal) == true) == true)
                throw new InvalidArgumentException("IPv6 subnets are not supported by berth: create the network without --ipv6");
            throw new FailedPreconditionException("could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network");
        }
        await _gate.WaitAsync(ct);
        try
        {
            if (TryFindByName(name) is not null) throw new ConflictException($"network with name {name} already exists");
            var ipam = req.IPAM?.Config?.FirstOrDefault() ?? new IpamConfig();
            var (subnet, range, gateway) = PlanSubnet(ipam);
            var config = new IpamConfig { Subnet = subnet.ToString(), Gateway = Ipv4.Format(gateway), IPRange = range?.ToString() };
            var resource = NewResource(name, "bridge", [config], req.Options ?? []);
            resource.Internal = req.Internal;
            resource.Attachable = req.Attachable;
            resource.Labels = req.Labels ?? [];
            resource.IPAM.Options = req.IPAM?.Options;
            var bridge = req.Options is not null && req.Options.TryGetValue("com.docker.network.bridge.name", out var b) && b.Length > 0 ? b : "br-" + resource.Id[..12];
            if (_byId.Values.Any(n => n.Bridge == bridge)) throw new ConflictException($"bridge name {bridge} is already in use");
            var state = WithPool(new NetworkState(new NetworkDocument { Resource = resource, Bridge = bridge }));
            try
            {
                await EnsureBridgeAsync(state, ct);
                _byId[state.Id] = state;
                await ApplyFirewallAsync(ct);
                Persist(state);
            }
            catch
            {
                _byId.TryRemove(state.Id, out _);
                await BridgeDriver.DeleteLinkAsync(bridge, CancellationToken.None);
                throw;
            }
            _events.Publish("network", "create", state.Id, new Dictionary<string, string> { ["name"] = name, ["type"] = "bridge" });
            return new NetworkCreateResponse { Id = state.Id };
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task RemoveAsync(string idOrName, CancellationToken ct)
    {
        var n = Find(idOrName);
        if (n.IsPredefined) throw Forbidden($"{n.Name} is a pre-defined network and cannot be removed");
        await _gate.WaitAsync(ct);
        try
        {
            if (!n.Endpoints.IsEmpty)
            {
                // moby 28.2+: each endpoint as name:"<container>" id:"<endpoint id, 12>".
                var names = string.Join(", ", n.Endpoints.Values.Select(ep =>
                    $"name:\"{_containers.TryGet(ep.ContainerId)?.Name.TrimStart('/') ?? ep.ContainerId}\" id:\"{ep.EndpointId[..Math.Min(12, ep.EndpointId.Length)]}\""));
                throw Forbidden($"error while removing network: network {n.Name} has active endpoints ({names})");
            }
            _byId.TryRemove(n.Id, out _);
            _meta.DeleteNetwork(n.Id);
            await ApplyFirewallAsync(ct);
            await BridgeDriver.DeleteLinkAsync(n.Bridge, ct);
        }
        finally
        {
            _gate.Release();
        }
        _events.Publish("network", "destroy", n.Id, new Dictionary<string, string> { ["name"] = n.Name, ["type"] = n.Resource.Driver });
    }

    public async Task<NetworkPruneResponse> PruneAsync(IReadOnlyDictionary<string, IReadOnlyList<string>> filters, CancellationToken ct)
    {
        var deleted = new List<string>();
        foreach (var n in _byId.Values.Where(n => !n.IsPredefined && n.Endpoints.IsEmpty && Matches(n, filters, prune: true)).ToList())
        {
            try
            {
                await RemoveAsync(n.Id, ct);
                deleted.Add(n.Name);
            }
            catch (EngineException ex) { _log($"prune network {n.Name}: {ex.Message}"); } // in use meanwhile: skipped, as Docker does
        }
        return new NetworkPruneResponse { NetworksDeleted = deleted };
    }

    internal NetworkState Find(string idOrName) => TryFind(idOrName) ?? throw new NotFoundException($"network {idOrName} not found");

    internal NetworkState? TryFind(string idOrName)
    {
        if (string.IsNullOrEmpty(idOrName)) return null;
        if (_byId.TryGetValue(idOrName, out var n)) return n;
        if (TryFindByName(idOrName) is { } byName) return byName;
        var matches = _byId.Values.Where(x => x.Id.StartsWith(idOrName, StringComparison.Ordinal)).ToList();
        if (matches.Count > 1) throw new InvalidArgumentException($"network {idOrName} is ambiguous ({matches.Count} matches found based on ID prefix)");
        return matches.FirstOrDefault();
    }

    private NetworkState? TryFindByName(string name) => _byId.Values.FirstOrDefault(n => n.Name == name);

    private (Ipv4Subnet Subnet, Ipv4Subnet? Range, uint Gateway) PlanSubnet(IpamConfig ipam)
    {
        Ipv4Subnet subnet;
        var inUse = _byId.Values.SelectMany(n => n.Pool is { } p ? new[] { p.Subnet } : []).ToList();
        if (!string.IsNullOrEmpty(ipam.Subnet))
        {
            if (!Ipv4Subnet.TryParse(ipam.Subnet, out subnet)) throw new InvalidArgumentException($"invalid subnet {ipam.Subnet}: invalid CIDR address: {ipam.Subnet}");
            if (subnet.Prefix > 30) throw new InvalidArgumentException($"invalid subnet {ipam.Subnet}: the subnet is too small");
            if (inUse.Any(s => s.Overlaps(subnet))) throw Forbidden("invalid pool request: Pool overlaps with other one on this address space");
        }
        else
        {
            if (!string.IsNullOrEmpty(ipam.IPRange) || !string.IsNullOrEmpty(ipam.Gateway))
                throw new InvalidArgumentException("ip-range and gateway need a subnet (--subnet)");
            subnet = SubnetPicker.Pick(inUse.Concat(SubnetPicker.HostRoutes()))
                ?? throw new FailedPreconditionException("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
        }
        Ipv4Subnet? range = null;
        if (!string.IsNullOrEmpty(ipam.IPRange))
        {
            if (!Ipv4Subnet.TryParse(ipam.IPRange, out var r)) throw new InvalidArgumentException($"invalid ip-range {ipam.IPRange}: invalid CIDR address: {ipam.IPRange}");
            if (!subnet.Contains(r)) throw new InvalidArgumentException($"invalid ip-range {ipam.IPRange}: it must be within subnet {subnet}");
            range = r;
        }
        uint gateway = subnet.Network + 1;
        if (!string.IsNullOrEmpty(ipam.Gateway))
        {
            if (!Ipv4.TryParse(ipam.Gateway, out gateway)) throw new InvalidArgumentException($"invalid gateway address {ipam.Gateway}");
            if (!subnet.Contains(gateway) || gateway == subnet.Network || gateway == subnet.Broadcast)
                throw new InvalidArgumentException($"no matching subnet for gateway {ipam.Gateway}");
        }
        return (subnet, range, gateway);
    }

    private (Ipv4Subnet Subnet, uint Gateway) ParseBip(string bip)
    {
        var slash = bip.IndexOf('/');
        if (slash < 0 || !Ipv4.TryParse(bip[..slash], out var gw) || !Ipv4Subnet.TryParse(bip, out var subnet) || subnet.Prefix > 30 || gw == subnet.Network)
            throw new InvalidArgumentException($"invalid --bip {bip}: want the bridge address with its prefix, such as 172.30.0.1/16");
        return (subnet, gw);
    }

    private static NetworkState WithPool(NetworkState n)
    {
        var cfg = n.Resource.IPAM.Config?.FirstOrDefault();
        if (n.IsBridgeDriver && cfg is not null && Ipv4Subnet.TryParse(cfg.Subnet, out var subnet))
        {
            Ipv4Subnet? range = Ipv4Subnet.TryParse(cfg.IPRange, out var r) ? r : null;
            var gateway = Ipv4.TryParse(cfg.Gateway ?? "", out var g) ? g : subnet.Network + 1;
            n.Pool = new AddressPool(subnet, range, gateway);
        }
        return n;
    }

    private NetworkResource NewResource(string name, string driver, List<IpamConfig> config, Dictionary<string, string> options) => new()
    {
        Name = name, Id = IdGenerator.NewId(), Created = Timestamps.Format(_time.GetUtcNow()), Driver = driver,
        IPAM = new Ipam { Driver = "default", Config = config }, Options = options,
    };

    private void Add(NetworkResource resource, string bridge)
    {
        var state = WithPool(new NetworkState(new NetworkDocument { Resource = resource, Bridge = bridge }));
        _byId[state.Id] = state;
        Persist(state);
    }

    private void Persist(NetworkState n) =>
        _meta.PutNetwork(n.Id, n.Name, JsonSerializer.Serialize(n.Doc, NetworksJsonContext.Default.NetworkDocument));

    private Task EnsureBridgeAsync(NetworkState n, CancellationToken ct) =>
        n.Pool is { } pool ? BridgeDriver.EnsureBridgeAsync(n.Bridge, pool.Gateway, pool.Subnet.Prefix, _options.Mtu, ct) : Task.CompletedTask;

    private async Task ApplyFirewallAsync(CancellationToken ct)
    {
        var networks = _byId.Values.Where(n => n.IsBridgeDriver && n.Pool is not null)
            .Select(n => new FirewallNetwork(n.Bridge, n.Pool!.Subnet, n.Resource.Internal,
                !n.Resource.Options.TryGetValue("com.docker.network.bridge.enable_ip_masquerade", out var m) || m != "false"))
            .ToList();
        var ports = _sandboxes.Values.SelectMany(s => s.Rules).ToList();
        await _firewall.ApplyAsync(networks, ports, ct);
    }

    private NetworkResource Render(NetworkState n, bool withContainers)
    {
        var r = n.Resource;
        var copy = new NetworkResource
        {
            Name = r.Name, Id = r.Id, Created = r.Created, Scope = r.Scope, Driver = r.Driver, EnableIPv4 = r.EnableIPv4, EnableIPv6 = r.EnableIPv6,
            IPAM = r.IPAM, Internal = r.Internal, Attachable = r.Attachable, Ingress = r.Ingress, ConfigFrom = r.ConfigFrom, ConfigOnly = r.ConfigOnly,
            Options = r.Options, Labels = r.Labels,
        };
        if (withContainers && n.Pool is { } pool)
        {
            foreach (var ep in n.Endpoints.Values)
            {
                copy.Containers[ep.ContainerId] = new NetworkContainer
                {
                    Name = _containers.TryGet(ep.ContainerId)?.Name.TrimStart('/') ?? "", EndpointID = ep.EndpointId, MacAddress = ep.Mac,
                    IPv4Address = $"{Ipv4.Format(ep.Address)}/{pool.Subnet.Prefix}",
                };
            }
        }
        return copy;
    }

    private static bool Matches(NetworkState n, IReadOnlyDictionary<string, IReadOnlyList<string>> filters, bool prune = false)
    {
        foreach (var (key, values) in filters)
        {
            bool ok = key switch
            {
                "name" => values.Any(v => n.Name.Contains(v, StringComparison.Ordinal)),
                "id" => values.Any(v => n.Id.StartsWith(v, StringComparison.Ordinal)),
                "driver" => values.Contains(n.Resource.Driver),
                "type" => values.Any(v => v == (n.IsPredefined ? "builtin" : "custom")),
                "scope" => values.Contains("local"),
                "label" => values.All(v => LabelMatches(n.Resource.Labels, v)),
                "label!" => !values.Any(v => LabelMatches(n.Resource.Labels, v)),
                "dangling" => values.All(v => (v is "true" or "1") == n.Endpoints.IsEmpty),
                "until" => prune && values.All(v => Timestamps.Parse(n.Resource.Created) is { } c && DateTimeOffset.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var u) && c < u),
                _ => throw new InvalidArgumentException($"invalid filter '{key}'"),
            };
            if (!ok) return false;
        }
        return true;
    }

    private static EngineException Forbidden(string message) => new(ErrorKind.PermissionDenied, message);

    private static bool LabelMatches(Dictionary<string, string> labels, string filter)
    {
        var eq = filter.IndexOf('=');
        return eq < 0 ? labels.ContainsKey(filter) : labels.TryGetValue(filter[..eq], out var v) && v == filter[(eq + 1)..];
    }
}
