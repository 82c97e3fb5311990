using System.Net;
using Berth.Api.Http;
using Berth.Registry.Auth;
using Berth.Registry.Storage;

namespace Berth.Registry;

/// <summary><c>berth registry serve</c>: a Distribution-spec registry over TCP, plain HTTP or TLS, stored under a root directory.</summary>
public sealed class RegistryServer : IAsyncDisposable
{
    private readonly HttpServer _http;

    private RegistryServer(HttpServer http) => _http = http;

    /// <summary>The bound address (port 0 becomes the real port).</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_http.EndPoints[0];

    public static async Task<RegistryServer> StartAsync(RegistryServerOptions options, IPEndPoint listen, Action<string>? log, CancellationToken ct,
        System.Net.Security.SslServerAuthenticationOptions? tls = null)
    {
        options = options with { Tls = tls is not null };
        var store = new RegistryStore(options.Root);
        store.Content.CleanIngest();
        var handler = new RegistryHandler(store, new UploadSessions(store), new RegistryAccess(options), options, log);
        var http = new HttpServer(handler.HandleAsync, log);
        // Not an Engine API: drop Docker's daemon headers, announce the registry API version instead.
        foreach (var h in new[] { "Api-Version", "Docker-Experimental", "Ostype", "Server" }) http.SetDefaultHeader(h, null);
        http.SetDefaultHeader("Docker-Distribution-Api-Version", "registry/2.0");
        try
        {
            http.ListenTcp(listen, tls);
            await http.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await http.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new RegistryServer(http);
    }

    public ValueTask DisposeAsync() => _http.DisposeAsync();
}
