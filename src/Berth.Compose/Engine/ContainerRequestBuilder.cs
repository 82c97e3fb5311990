using System.Globalization;
using Berth.Api.Models.Containers;
using Berth.Compose.Model;

namespace Berth.Compose.Engine;

/// <summary>
/// Turns a service into the body of <c>POST /containers/create</c>, as docker/compose's <c>getCreateConfigs</c> does: the
/// config part (image, command, env, healthcheck, labels), the host part (mounts, ports, resources, security, logging)
/// and an endpoint per network with the container name, the service name and the configured aliases. Pure: everything
/// the daemon must resolve (the container behind <c>network_mode: service:x</c>) comes in through
/// <paramref name="serviceContainer"/>.
/// </summary>
public static class ContainerRequestBuilder
{
    public static ContainerCreateRequest Build(ComposeProject project, ServiceConfig service, ContainerIdentity id, Func<string, string?> serviceContainer)
    {
        var request = new ContainerCreateRequest
        {
            Image = ImageName(project, service),
            Cmd = service.Command is null ? null : [.. service.Command],
            Entrypoint = service.Entrypoint is null ? null : [.. service.Entrypoint],
            Env = EnvList(service),
            Hostname = service.Hostname,
            Domainname = service.DomainName,
            User = service.User,
            WorkingDir = service.WorkingDir,
            Tty = service.Tty,
            OpenStdin = service.StdinOpen,
            AttachStdin = false,
            AttachStdout = !id.OneOff,
            AttachStderr = !id.OneOff,
            StopSignal = service.StopSignal,
            StopTimeout = service.StopGracePeriod is { } g ? (int)Math.Ceiling(g.TotalSeconds) : null,
            Healthcheck = ToHealthConfig(service.Healthcheck),
            ExposedPorts = ExposedPorts(service),
            Labels = Labels(project, service, id),
            MacAddress = service.MacAddress,
            HostConfig = ToHostConfig(project, service, serviceContainer),
        };
        if (request.HostConfig.NetworkMode is { } mode && !IsSpecialNetworkMode(mode))
        {
            request.NetworkingConfig = new NetworkingConfig { EndpointsConfig = Endpoints(project, service, id) };
        }
        return request;
    }

    /// <summary>The image a service runs: <c>image</c>, else what <c>build</c> tags (<c>&lt;project&gt;-&lt;service&gt;</c>).</summary>
    public static string ImageName(ComposeProject project, ServiceConfig service) =>
        !string.IsNullOrEmpty(service.Image) ? service.Image : ComposeNaming.DefaultImageName(project.Name, service.Name);

    /// <summary>The label set Compose v2 writes, over the service's own labels.</summary>
    public static Dictionary<string, string> Labels(ComposeProject project, ServiceConfig service, ContainerIdentity id)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in service.Labels) labels[k] = v;
        labels[ComposeLabels.Project] = project.Name;
        labels[ComposeLabels.Service] = service.Name;
        labels[ComposeLabels.OneOff] = id.OneOff ? "True" : "False";
        labels[ComposeLabels.ConfigHash] = id.ConfigHash;
        if (id.Number > 0) labels[ComposeLabels.ContainerNumber] = id.Number.ToString(CultureInfo.InvariantCulture);
        if (id.Slug is not null) labels[ComposeLabels.Slug] = id.Slug;
        if (id.Replaces is not null) labels[ComposeLabels.Replace] = id.Replaces;
        labels[ComposeLabels.WorkingDir] = project.WorkingDir;
        labels[ComposeLabels.ConfigFiles] = string.Join(',', project.ConfigFiles);
        labels[ComposeLabels.Version] = ComposeLabels.ComposeVersion;
        labels[ComposeLabels.DependsOn] = string.Join(',', service.DependsOn.Select(d =>
            $"{d.Key}:{d.Value.Condition}:{(d.Value.Restart ? "true" : "false")}"));
        if (id.ImageId is not null) labels[ComposeLabels.Image] = id.ImageId;
        return labels;
    }

    private static List<string>? EnvList(ServiceConfig service)
    {
        if (service.Environment.Count == 0) return null;
        // A bare KEY that resolved to nothing is left out, as Compose does (it would unset an image variable otherwise).
        return [.. service.Environment.Where(e => e.Value is not null).Select(e => $"{e.Key}={e.Value}")];
    }

    private static HealthConfig? ToHealthConfig(HealthcheckConfig? h)
    {
        if (h is null) return null;
        if (h.Disable) return new HealthConfig { Test = ["NONE"] };
        return new HealthConfig
        {
            Test = h.Test is null ? null : [.. h.Test],
            Interval = Nanos(h.Interval),
            Timeout = Nanos(h.Timeout),
            Retries = h.Retries ?? 0,
            StartPeriod = Nanos(h.StartPeriod),
            StartInterval = Nanos(h.StartInterval),
        };
    }

    private static long Nanos(TimeSpan? t) => t is { } v ? v.Ticks * 100 : 0;

    private static Dictionary<string, EmptyObject>? ExposedPorts(ServiceConfig service)
    {
        var ports = new Dictionary<string, EmptyObject>(StringComparer.Ordinal);
        foreach (var p in service.Ports) ports[$"{p.Target}/{p.Protocol}"] = new EmptyObject();
        foreach (var e in service.Expose)
        {
            // expose: "3000", "3000/udp" or a range "3000-3005".
            var (range, proto) = e.Contains('/') ? (e[..e.IndexOf('/')], e[(e.IndexOf('/') + 1)..]) : (e, "tcp");
            var dash = range.IndexOf('-');
            if (dash > 0 && int.TryParse(range[..dash], out var lo) && int.TryParse(range[(dash + 1)..], out var hi))
            {
                for (var i = lo; i <= hi; i++) ports[$"{i}/{proto}"] = new EmptyObject();
            }
            else ports[$"{range}/{proto}"] = new EmptyObject();
        }
        return ports.Count == 0 ? null : ports;
    }

    private static HostConfig ToHostConfig(ComposeProject project, ServiceConfig service, Func<string, string?> serviceContainer)
    {
        var host = new HostConfig
        {
            NetworkMode = NetworkMode(project, service, serviceContainer),
            RestartPolicy = ParseRestart(service.Restart),
            ReadonlyRootfs = service.ReadOnly,
            Privileged = service.Privileged,
            CapAdd = NullIfEmpty(service.CapAdd),
            CapDrop = NullIfEmpty(service.CapDrop),
            SecurityOpt = NullIfEmpty(service.SecurityOpt),
            Init = service.Init,
            LogConfig = service.Logging is { } l ? new LogConfig { Type = l.Driver, Config = l.Options.Count == 0 ? null : new Dictionary<string, string>(l.Options) } : null,
            ExtraHosts = NullIfEmpty(service.ExtraHosts),
            Dns = NullIfEmpty(service.Dns),
            DnsSearch = NullIfEmpty(service.DnsSearch),
            DnsOptions = NullIfEmpty(service.DnsOpt),
            Ulimits = service.Ulimits.Count == 0 ? null : [.. service.Ulimits.Select(u => new Ulimit { Name = u.Key, Soft = u.Value.Soft, Hard = u.Value.Hard })],
            Sysctls = service.Sysctls.Count == 0 ? null : new Dictionary<string, string>(service.Sysctls),
            PidMode = service.Pid,
            IpcMode = service.Ipc,
            ShmSize = service.ShmSize ?? 0,
            GroupAdd = NullIfEmpty(service.GroupAdd),
            Links = NullIfEmpty(service.Links),
            Devices = service.Devices.Count == 0 ? null : [.. service.Devices.Select(Device)],
            Tmpfs = service.Tmpfs.Count == 0 ? null : service.Tmpfs.ToDictionary(t => t.Split(':', 2)[0], t => t.Contains(':') ? t.Split(':', 2)[1] : "", StringComparer.Ordinal),
            PortBindings = PortBindings(service),
            Annotations = service.Annotations.Count == 0 ? null : new Dictionary<string, string>(service.Annotations),
        };
        Resources(service, host);
        ServiceMounts.Apply(project, service, host);
        return host;
    }

    private static void Resources(ServiceConfig service, HostConfig host)
    {
        var limits = service.Deploy?.Limits;
        var cpus = limits?.Cpus ?? service.Cpus;
        if (cpus is { } c) host.NanoCpus = (long)(c * 1e9);
        if ((limits?.Memory ?? service.MemLimit) is { } m) host.Memory = m;
        if (limits?.Pids is { } p) host.PidsLimit = p;
        if (service.Deploy?.Reservations?.Memory is { } r) host.MemoryReservation = r;
    }

    private static DeviceMapping Device(string spec)
    {
        var parts = spec.Split(':');
        return new DeviceMapping
        {
            PathOnHost = parts[0],
            PathInContainer = parts.Length > 1 ? parts[1] : parts[0],
            CgroupPermissions = parts.Length > 2 ? parts[2] : "rwm",
        };
    }

    public static RestartPolicy? ParseRestart(string? restart)
    {
        if (string.IsNullOrEmpty(restart)) return null;
        var parts = restart.Split(':', 2);
        return new RestartPolicy
        {
            Name = parts[0],
            MaximumRetryCount = parts.Length > 1 && int.TryParse(parts[1], out var n) ? n : 0,
        };
    }

    private static Dictionary<string, List<PortBinding>?>? PortBindings(ServiceConfig service)
    {
        if (service.Ports.Count == 0) return null;
        var map = new Dictionary<string, List<PortBinding>?>(StringComparer.Ordinal);
        foreach (var p in service.Ports)
        {
            var key = $"{p.Target}/{p.Protocol}";
            if (!map.TryGetValue(key, out var list) || list is null) map[key] = list = [];
            // No published port: Compose publishes on an ephemeral host port, like `docker run -p 80`.
            list.Add(new PortBinding { HostIp = p.HostIp ?? "", HostPort = p.Published ?? "" });
        }
        return map;
    }

    /// <summary>
    /// <c>network_mode</c> as the engine takes it (<c>service:x</c> becomes <c>container:&lt;id&gt;</c> of x's first replica);
    /// without it, the service's first network by priority then name, or the project default.
    /// </summary>
    public static string NetworkMode(ComposeProject project, ServiceConfig service, Func<string, string?> serviceContainer)
    {
        if (!string.IsNullOrEmpty(service.NetworkMode))
        {
            if (service.NetworkMode.StartsWith("service:", StringComparison.Ordinal))
            {
                var target = service.NetworkMode["service:".Length..];
                var id = serviceContainer(target) ?? throw new ComposeException($"cannot share network namespace with service {target}: container missing");
                return "container:" + id;
            }
            return service.NetworkMode;
        }
        var primary = PrimaryNetwork(service);
        return primary is null ? ComposeNaming.NetworkName(project.Name, "default") : EngineNetworkName(project, primary);
    }

    /// <summary>The network the container is created on: highest <c>priority</c>, then by name (compose-go <c>NetworksByPriority</c>).</summary>
    public static string? PrimaryNetwork(ServiceConfig service) =>
        service.Networks.OrderByDescending(n => n.Value.Priority).ThenBy(n => n.Key, StringComparer.Ordinal).Select(n => n.Key).FirstOrDefault();

    public static string EngineNetworkName(ComposeProject project, string key) =>
        project.Networks.TryGetValue(key, out var n) ? n.Name : ComposeNaming.NetworkName(project.Name, key);

    private static bool IsSpecialNetworkMode(string mode) =>
        mode is "host" or "none" or "bridge" or "default" || mode.StartsWith("container:", StringComparison.Ordinal);

    private static Dictionary<string, EndpointSettings> Endpoints(ComposeProject project, ServiceConfig service, ContainerIdentity id)
    {
        var result = new Dictionary<string, EndpointSettings>(StringComparer.Ordinal);
        var networks = service.Networks.Count > 0
            ? service.Networks
            : new Dictionary<string, ServiceNetworkConfig>(StringComparer.Ordinal) { ["default"] = new() };
        foreach (var (key, cfg) in networks)
        {
            var aliases = new List<string> { id.Name };
            // One-off containers answer to their own name only, so `compose run` does not steal the service's name.
            if (!id.OneOff)
            {
                aliases.Add(service.Name);
                aliases.AddRange(cfg.Aliases);
            }
            result[EngineNetworkName(project, key)] = new EndpointSettings
            {
                Aliases = [.. aliases.Distinct(StringComparer.Ordinal)],
                IPAMConfig = cfg.Ipv4Address is null && cfg.Ipv6Address is null ? null
                    : new EndpointIpamConfig { IPv4Address = cfg.Ipv4Address, IPv6Address = cfg.Ipv6Address },
                MacAddress = cfg.MacAddress,
            };
        }
        return result;
    }

    private static List<string>? NullIfEmpty(IReadOnlyList<string> list) => list.Count == 0 ? null : [.. list];
}
