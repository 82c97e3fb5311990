using Berth.Compose.Model;

namespace Berth.Compose.Loader;

internal sealed partial class ProjectLoader
{
    /// <summary>Cross-references checked on all services (active or not), in compose-go's words (loader/validate.go).</summary>
    private static void ValidateReferences(
        SortedDictionary<string, ServiceConfig> services,
        SortedDictionary<string, NetworkConfig> networks,
        SortedDictionary<string, VolumeConfig> volumes,
        SortedDictionary<string, FileObjectConfig> configs,
        SortedDictionary<string, FileObjectConfig> secrets)
    {
        foreach (var (name, s) in services)
        {
            if (s.Image is null && s.Build is null)
                throw new ComposeException($"service \"{name}\" has neither an image nor a build context specified: invalid compose project");
            if (s.NetworkMode is not null && s.Networks.Count > 0)
                throw new ComposeException($"service {name} declares mutually exclusive `network_mode` and `networks`: invalid compose project");
            if (s.NetworkMode is { } mode && mode.StartsWith("service:", StringComparison.Ordinal) && !services.ContainsKey(mode[8..]))
                throw new ComposeException($"service \"{mode[8..]}\" not found for network_mode 'service:{mode[8..]}'");
            foreach (var n in s.Networks.Keys)
                if (n != "default" && !networks.ContainsKey(n))
                    throw new ComposeException($"service \"{name}\" refers to undefined network {n}: invalid compose project");
            foreach (var dep in s.DependsOn)
                if (!services.ContainsKey(dep.Key) && dep.Value.Required)
                    throw new ComposeException($"service \"{name}\" depends on undefined service \"{dep.Key}\": invalid compose project");
            foreach (var v in s.Volumes)
                if (v.Type == "volume" && v.Source is not null && !volumes.ContainsKey(v.Source))
                    throw new ComposeException($"service \"{name}\" refers to undefined volume {v.Source}: invalid compose project");
            foreach (var c in s.Configs)
                if (!configs.ContainsKey(c.Source))
                    throw new ComposeException($"service \"{name}\" refers to undefined config {c.Source}: invalid compose project");
            foreach (var c in s.Secrets)
                if (!secrets.ContainsKey(c.Source))
                    throw new ComposeException($"service \"{name}\" refers to undefined secret {c.Source}: invalid compose project");
            if (s.Scale is { } scale && s.Deploy?.Replicas is { } replicas && scale != replicas)
                throw new ComposeException($"services.{name}: can't set distinct values on 'scale' and 'deploy.replicas': invalid compose project");
            if (s.Cpus is { } cpus && s.Deploy?.Limits?.Cpus is { } lc && cpus != lc)
                throw new ComposeException($"services.{name}: can't set distinct values on 'cpus' and 'deploy.resources.limits.cpus': invalid compose project");
            if (s.MemLimit is { } mem && s.Deploy?.Limits?.Memory is { } lm && mem != lm)
                throw new ComposeException($"services.{name}: can't set distinct values on 'mem_limit' and 'deploy.resources.limits.memory': invalid compose project");
            var targets = new HashSet<string>(StringComparer.Ordinal);
            foreach (var v in s.Volumes)
                if (!targets.Add(v.Target))
                    throw new ComposeException($"services.{name}.volumes: target {v.Target} already mounted");
        }
    }
}
