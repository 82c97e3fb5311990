using System.Security.Cryptography;
using System.Text;
using Berth.Compose.Model;
using Berth.Compose.Output;

namespace Berth.Compose;

/// <summary>
/// The value of the com.docker.compose.config-hash label: sha256 (hex) over a canonical serialization of the service.
/// Like docker compose (pkg/compose/hash.go) it leaves out what must not recreate containers: build, pull_policy,
/// scale / deploy.replicas, depends_on and profiles. Berth's canonical form is the `config` YAML of the service,
/// so the hash is stable across runs and key order in the file, but not byte-equal to docker compose's.
/// </summary>
public static class ServiceHashing
{
    public static string ConfigHash(ServiceConfig service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var stripped = service with
        {
            Build = null,
            PullPolicy = null,
            Scale = null,
            Deploy = service.Deploy is { } d ? d with { Replicas = null } : null,
            DependsOn = new SortedDictionary<string, ServiceDependency>(StringComparer.Ordinal),
            Profiles = [],
        };
        using var sw = new StringWriter();
        var w = new YamlWriter(sw);
        ConfigWriter.WriteServiceForHash(w, stripped);
        w.End();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sw.ToString())));
    }
}
