using System.Security.Cryptography;
using System.Text;
using Berth.Compose.Hashing;
using Berth.Compose.Model;

namespace Berth.Compose;

/// <summary>
/// The value of the com.docker.compose.config-hash label, computed as Docker Compose v2 does (docker/compose
/// pkg/compose/hash.go <c>ServiceHash</c>): sha256 (hex) of <c>json.Marshal</c> of compose-go's <c>types.ServiceConfig</c>
/// with build, pull_policy, scale, deploy.replicas, depends_on and profiles cleared. <see cref="ConfigJson"/> is that JSON;
/// see <see cref="ServiceJson"/> for which parts of the Go type Berth reproduces.
/// </summary>
public static class ServiceHashing
{
    public static string ConfigHash(ServiceConfig service) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ConfigJson(service))));

    /// <summary>The JSON document Docker Compose hashes for <paramref name="service"/>.</summary>
    public static string ConfigJson(ServiceConfig service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return ServiceJson.Write(service);
    }
}
