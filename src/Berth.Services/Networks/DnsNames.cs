using System.Net;
using Berth.Network.Dns;
using Berth.Network.Ipam;

namespace Berth.Services.Networks;

/// <summary>Answers the embedded DNS server from the live endpoints of the networks the asking container is on.</summary>
internal sealed class DnsNames(NetworkService networks) : IDnsNames
{
    private int _turn;

    public IReadOnlyList<uint>? Lookup(string askingContainerId, string name)
    {
        // The asking container's own link aliases come first (moby Sandbox.ResolveName), and on a network where the
        // name is one of them, it does not also resolve as a container name there.
        if (LookupLink(askingContainerId, name, out var shadowed) is { } linked) return linked;
        List<uint>? found = null;
        foreach (var n in networks.All)
        {
            if (!n.HasDns || !n.Endpoints.ContainsKey(askingContainerId) || shadowed?.Contains(n) == true) continue;
            var bare = Bare(name, n);
            foreach (var ep in n.Endpoints.Values)
            {
                if (!NameMatches(ep, bare)) continue;
                found ??= [];
                if (!found.Contains(ep.Address)) found.Add(ep.Address);
            }
        }
        if (found is { Count: > 1 })
        {
            // Several containers share the name (replicas behind one alias): rotate the order on every answer so that
            // clients taking the first record spread over all of them (Docker shuffles them).
            var k = (int)((uint)Interlocked.Increment(ref _turn) % (uint)found.Count);
            found = [.. found[k..], .. found[..k]];
        }
        return found;
    }

    /// <summary>
    /// A <c>--link name:alias</c> of the asking container on a network it is on: the linked container's addresses
    /// there. <paramref name="shadowed"/> gets the networks where the name is such an alias, resolved or not.
    /// </summary>
    private List<uint>? LookupLink(string askingContainerId, string name, out List<NetworkState>? shadowed)
    {
        shadowed = null;
        foreach (var n in networks.All)
        {
            if (!n.HasDns || !n.Endpoints.TryGetValue(askingContainerId, out var asking) || asking.Links.Count == 0) continue;
            if (!asking.Links.TryGetValue(Bare(name, n), out var target)) continue;
            (shadowed ??= []).Add(n);
            var found = n.Endpoints.Values.Where(ep => NameMatches(ep, target)).Select(ep => ep.Address).Distinct().ToList();
            if (found.Count > 0) return found;
        }
        return null;
    }

    /// <summary>"web" and "web.mynet" both name web on mynet.</summary>
    private static string Bare(string name, NetworkState n) =>
        name.EndsWith("." + n.Name.ToLowerInvariant(), StringComparison.Ordinal) ? name[..^(n.Name.Length + 1)] : name;

    public string? Reverse(string askingContainerId, uint address)
    {
        foreach (var n in networks.All)
        {
            if (!n.HasDns || !n.Endpoints.ContainsKey(askingContainerId)) continue;
            foreach (var ep in n.Endpoints.Values)
            {
                if (ep.Address == address && networks.ContainerName(ep.ContainerId) is { } cname) return $"{cname}.{n.Name}";
            }
        }
        return null;
    }

    public IReadOnlyList<IPEndPoint> Upstreams(string askingContainerId) => networks.UpstreamsOf(askingContainerId);

    private bool NameMatches(ActiveEndpoint ep, string name)
    {
        if (networks.ContainerName(ep.ContainerId) is { } cname && string.Equals(cname, name, StringComparison.OrdinalIgnoreCase)) return true;
        if (name.Length >= 12 && ep.ContainerId.StartsWith(name, StringComparison.Ordinal) && name.Length == 12) return true;
        foreach (var alias in ep.Aliases)
        {
            if (string.Equals(alias, name, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    internal static string Format(uint a) => Ipv4.Format(a);
}
