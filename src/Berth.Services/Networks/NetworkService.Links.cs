using Berth.Api.Models.Containers;
using Berth.Core.Errors;
using Berth.Services.Containers;

namespace Berth.Services.Networks;

/// <summary>
/// Legacy <c>--link name[:alias]</c> on the default bridge: an /etc/hosts line for each linked container. Docker 29 no
/// longer sets the links' environment variables (only behind a deprecation escape hatch), so neither does Berth.
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

    /// <summary>At create: every linked container must exist (not a 404: the CLI would take it for a missing image).</summary>
    private void ValidateLinks(HostConfig host)
    {
        foreach (var link in host.Links ?? [])
        {
            var (child, _) = ParseLink(link);
            if (_containers.TryGet(child) is null) throw new InvalidArgumentException($"could not get container for {child}");
        }
    }

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
}
