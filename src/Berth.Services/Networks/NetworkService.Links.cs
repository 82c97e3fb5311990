using Berth.Api.Models.Containers;
using Berth.Core.Errors;
using Berth.Services.Containers;

namespace Berth.Services.Networks;

/// <summary>
/// <c>--link name[:alias]</c>. On the default bridge (legacy links): an /etc/hosts line for each linked container, and
/// the parents' lines follow a linked container that starts again with another address (moby addLegacyLinks). On a
/// user-defined network: an alias only the linking container's embedded DNS answers, no /etc/hosts line (moby
/// buildJoinOptions, Sandbox.ResolveName). Docker 29 no longer sets the links' environment variables (only behind a
/// deprecation escape hatch), so neither does Berth.
/// </summary>
public sealed partial class NetworkService
{
    /// <summary>"name", "name:alias" (the CLI's form) or "/name:/parent/alias" (the daemon's) as (child, alias).</summary>
    internal static (string Child, string Alias) ParseLink(string link)
    {
        var colon = link.IndexOf(':');
        var child = (colon < 0 ? link : link[..colon]).TrimStart('/');
        var alias = colon < 0 ? child : link[(colon + 1)..];
        alias = alias[(alias.LastIndexOf('/') + 1)..];
        if (child.Length == 0 || alias.Length == 0) throw new InvalidArgumentException($"invalid link: {link}");
        return (child, alias);
    }

    /// <summary>
    /// At create, for legacy links: every linked container must exist (not a 404: the CLI would take it for a missing
    /// image). On a user-defined network a link is only a DNS alias, checked by nobody (as moby's registerLinks).
    /// </summary>
    private void ValidateLinks(HostConfig host)
    {
        if (IsUserDefinedMode(host.NetworkMode)) return;
        foreach (var link in host.Links ?? [])
        {
            var (child, _) = ParseLink(link);
            if (_containers.TryGet(child) is null) throw new InvalidArgumentException($"could not get container for {child}");
        }
    }

    /// <summary>An endpoint's links as alias → linked container name (case-insensitive, as DNS names are).</summary>
    private static Dictionary<string, string> LinkAliases(EndpointSettings s)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var link in s.Links ?? [])
        {
            var (child, alias) = ParseLink(link);
            map[alias] = child;
        }
        return map;
    }

    private bool IsUserDefinedMode(string? mode) =>
        mode is { Length: > 0 } m && !m.StartsWith("container:", StringComparison.Ordinal) && TryFind(m) is { IsBridgeDriver: true, IsDefaultBridge: false };

    /// <summary>At start, on the default bridge: "address\talias hostname name" for each link, as Docker writes them.</summary>
    private List<(string Hosts, string Ip)> LinkRecords(ContainerDocument d)
    {
        var list = new List<(string, string)>();
        if ((d.HostConfig.NetworkMode ?? "bridge") != "bridge") return list;
        foreach (var link in d.HostConfig.Links ?? [])
        {
            var (childName, alias) = ParseLink(link);
            var child = _containers.TryGet(childName) ?? throw new InvalidArgumentException($"could not get container for {childName}");
            if (!child.Doc.State.Running)
                throw new EngineException(ErrorKind.Unknown, $"Cannot link to a non running container: {child.Name} AS {d.Name}/{alias}");
            if (child.Doc.NetworkingConfig?.EndpointsConfig?.GetValueOrDefault("bridge") is not { IPAddress: { Length: > 0 } ip })
                throw new EngineException(ErrorKind.Unknown, $"Cannot link to {child.Name}, as it does not belong to the default network");
            var bare = child.Name.TrimStart('/');
            var names = alias + " " + child.Doc.Config.Hostname;
            if (alias != bare) names += " " + bare;
            list.Add((names, ip));
        }
        return list;
    }

    /// <summary>
    /// A container started on the default bridge: the running containers that link to it get its (maybe new) address
    /// in their /etc/hosts lines for it, in place, as moby does when the linked container joins the bridge again.
    /// </summary>
    private void RefreshLinkingParents(ContainerDocument child, uint address)
    {
        if ((child.HostConfig.NetworkMode ?? "bridge") != "bridge") return;
        foreach (var parent in _containers.All)
        {
            var p = parent.Doc;
            if (p.Id == child.Id || !p.State.Running || (p.HostConfig.NetworkMode ?? "bridge") != "bridge") continue;
            foreach (var link in p.HostConfig.Links ?? [])
            {
                var (childName, alias) = ParseLink(link);
                if (_containers.TryGet(childName)?.Id != child.Id) continue;
                try { NetworkFiles.UpdateLinkEntry(p, alias, address); }
                catch (IOException ex) { _log($"update /etc/hosts of {p.Id} for link {alias}: {ex.Message}"); } // the parent may be going away
            }
        }
    }
}
