using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Authentication;

namespace Berth.Distribution.Tls;

/// <summary>
/// The daemon's HTTP clients for registries. A secure registry gets its own client whose TLS check trusts the system roots plus its
/// certs.d CAs and presents its certs.d client certificates. An insecure one (loopback, <c>--insecure-registry</c>) is tried as
/// dockerd tries it: HTTPS without verification first, then plain HTTP; the scheme that answered is remembered for the next session.
/// </summary>
public sealed class RegistryTransports : IDisposable
{
    private readonly RegistryCertsDir _certs;
    private readonly ConcurrentDictionary<string, (HttpClient Http, ServerCertificateCheck Check)> _secure = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _insecureScheme = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lazy<HttpClient> _unverified;

    public RegistryTransports(RegistryCertsDir? certs = null, HttpClient? plain = null)
    {
        _certs = certs ?? new RegistryCertsDir(RegistryCertsDir.DockerDefault);
        Plain = plain ?? RegistryHttp.Create();
        _unverified = new Lazy<HttpClient>(() => RegistryHttp.Create(new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,   // an insecure registry: encrypted, not authenticated
        }));
    }

    /// <summary>The client for plain HTTP and for hosts whose certificates the system roots vouch for (token realms).</summary>
    public HttpClient Plain { get; }

    /// <summary>Where to try <paramref name="endpoint"/>, in order, each with the client to use.</summary>
    public IReadOnlyList<(Uri BaseUri, HttpClient Http)> Candidates(RegistryEndpoint endpoint)
    {
        if (endpoint.BaseUri.Scheme == Uri.UriSchemeHttps && endpoint.Name != RegistryEndpoint.DockerHubName) return [(endpoint.BaseUri, SecureFor(endpoint.Name).Http)];
        if (!endpoint.IsPlainHttp) return [(endpoint.BaseUri, Plain)];
        var https = (new Uri("https://" + endpoint.BaseUri.Authority), _unverified.Value);
        var http = (endpoint.BaseUri, Plain);
        return _insecureScheme.TryGetValue(endpoint.Name, out var s) && s == Uri.UriSchemeHttp ? [http, https] : [https, http];
    }

    /// <summary>Remembers which scheme an insecure registry answered on.</summary>
    public void Remember(RegistryEndpoint endpoint, Uri working)
    {
        if (endpoint.IsPlainHttp) _insecureScheme[endpoint.Name] = working.Scheme;
    }

    /// <summary>Go's words for the last refused certificate of <paramref name="hostAndPort"/>, if any.</summary>
    public string? TlsFailure(string hostAndPort) => _secure.TryGetValue(hostAndPort, out var s) ? s.Check.LastFailure : null;

    private (HttpClient Http, ServerCertificateCheck Check) SecureFor(string hostAndPort) => _secure.GetOrAdd(hostAndPort, h =>
    {
        var check = new ServerCertificateCheck(_certs, h);
        var options = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (sender, cert, chain, errors) => check.Validate(sender, cert, chain, errors),
            LocalCertificateSelectionCallback = (_, _, _, _, _) => _certs.ClientCertificates(h) is { Count: > 0 } c ? c[0] : null!,
        };
        return (RegistryHttp.Create(options), check);
    });

    public void Dispose()
    {
        Plain.Dispose();
        if (_unverified.IsValueCreated) _unverified.Value.Dispose();
        foreach (var (http, _) in _secure.Values) http.Dispose();
    }
}
