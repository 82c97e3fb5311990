using System.Net;

namespace Berth.Distribution;

/// <summary>
/// Where a registry named in a reference answers. <c>docker.io</c> is <c>https://registry-1.docker.io</c>; a loopback registry
/// (<c>localhost</c>, <c>127.0.0.0/8</c>, <c>::1</c>) and those configured insecure speak plain HTTP, as Docker's defaults do.
/// </summary>
public sealed record RegistryEndpoint(string Name, Uri BaseUri)
{
    public const string DockerHubName = "docker.io";
    public const string DockerHubIndex = "https://index.docker.io/v1/";

    public bool IsPlainHttp => BaseUri.Scheme == Uri.UriSchemeHttp;

    public static RegistryEndpoint Resolve(string name, RegistryOptions options)
    {
        var host = NormalizeName(name);
        if (host == DockerHubName) return new RegistryEndpoint(host, new Uri(options.DockerHubUrl ?? "https://registry-1.docker.io"));
        var plain = IsLoopback(host) || options.InsecureRegistries.Contains(host, StringComparer.OrdinalIgnoreCase);
        return new RegistryEndpoint(host, new Uri((plain ? "http://" : "https://") + host));
    }

    /// <summary>A server address as <c>docker login</c> gives it: <c>https://index.docker.io/v1/</c>, <c>http://x:5000</c>, <c>x:5000/</c> → the registry name.</summary>
    public static string NormalizeName(string address)
    {
        var s = address.Trim();
        if (s.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) s = s[8..];
        else if (s.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) s = s[7..];
        var slash = s.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0) s = s[..slash];
        s = s.ToLowerInvariant();
        return s is "" or "index.docker.io" or "registry-1.docker.io" or "registry.hub.docker.com" ? DockerHubName : s;
    }

    /// <summary>The key <c>~/.docker/config.json</c> stores this registry's credentials under (Docker Hub's is its v1 index URL).</summary>
    public static string ConfigKey(string name) => NormalizeName(name) == DockerHubName ? DockerHubIndex : NormalizeName(name);

    public static bool IsLoopback(string hostPort)
    {
        var host = hostPort;
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            host = close > 0 ? host[1..close] : host;
        }
        else
        {
            var colon = host.LastIndexOf(':');
            if (colon > 0 && host.IndexOf(':', StringComparison.Ordinal) == colon) host = host[..colon];
        }
        if (host == "localhost") return true;
        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }
}
