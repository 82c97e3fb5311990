using System.Net;
using System.Net.Security;

namespace Berth.Distribution;

/// <summary>The daemon's one HttpClient for registries: pooled keep-alive connections, no proxy, no transparent decompression.</summary>
public static class RegistryHttp
{
    public static HttpClient Create(SslClientAuthenticationOptions? tls = null)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            MaxConnectionsPerServer = 32,
            AllowAutoRedirect = true,
        };
        if (tls is not null) handler.SslOptions = tls;
        var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("docker/28.2.2 go/go1.24 os/linux arch/amd64 (berth)");
        return http;
    }
}
