using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Api.Http;
using Berth.Core.Errors;
using Berth.Distribution;
using Berth.Distribution.Manifests;
using Berth.Distribution.Search;
using Berth.Distribution.Tls;
using Berth.Distribution.Transfer;
using Berth.Registry;
using Berth.Storage;
using Berth.Tests.Distribution;
using Berth.Tests.Storage;

namespace Berth.Tests.Registry;

/// <summary>
/// Our registry server over TLS (a CA and leaf made here) against our client's transports: a registry named as secure is trusted
/// only through its certs.d CA (a temp certs.d here) and refused in Go's x509 words otherwise; a loopback registry is insecure, so
/// HTTPS without verification answers first. Also the v1 search endpoint the server answers for <c>docker search</c>.
/// </summary>
public sealed class RegistryTlsTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private readonly RegistryOptions _options = new();
    private RegistryServer? _server;
    private X509Certificate2? _ca;

    private string Name => $"127.0.0.1:{_server!.EndPoint.Port}";

    public async Task InitializeAsync()
    {
        var (ca, certPem, keyPem) = MakeCertificates();
        _ca = ca;
        File.WriteAllText(_tmp.Sub("cert.pem"), certPem);
        File.WriteAllText(_tmp.Sub("key.pem"), keyPem);
        var tls = TlsServerOptions.CreateServerOnly(_tmp.Sub("cert.pem"), _tmp.Sub("key.pem"));
        _server = await RegistryServer.StartAsync(new RegistryServerOptions(_tmp.Sub("registry")), new IPEndPoint(IPAddress.Loopback, 0), null, CancellationToken.None, tls);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _ca?.Dispose();
        _tmp.Dispose();
    }

    // A registry the client must verify: the same address, but named https (as any non-loopback, non-insecure registry is).
    private RegistryEndpoint Secure => new(Name, new Uri("https://" + Name));

    [Fact]
    public async Task SecureRegistry_UnknownCa_RefusedInGoWords()
    {
        using var transports = new RegistryTransports(new RegistryCertsDir(_tmp.Sub("certs.d")));
        var client = new RegistryClient(transports, Secure, "tls/img", null, push: false);
        var e = await Assert.ThrowsAsync<EngineException>(() => client.EnsureAuthorizedAsync(CancellationToken.None));
        Assert.Equal($"Get \"https://{Name}/v2/\": tls: failed to verify certificate: x509: certificate signed by unknown authority", e.Message);
    }

    [Fact]
    public async Task SecureRegistry_CaInCertsDir_PushAndPullOverTls()
    {
        var certs = _tmp.Sub("certs.d");
        Directory.CreateDirectory(Path.Join(certs, Name));
        File.WriteAllText(Path.Join(certs, Name, "ca.crt"), _ca!.ExportCertificatePem());
        using var transports = new RegistryTransports(new RegistryCertsDir(certs));
        var (content, layers) = Store("src");
        var image = TestImage.Create(content, "a.txt");
        var pusher = new ImagePusher(content, new BlobSources(_tmp.Sub("sources")), _options);
        var (digest, _) = await pusher.PushAsync(new RegistryClient(transports, Secure, "tls/img", null, push: true), "v1", image, _ => { }, CancellationToken.None);

        var (dst, dstLayers) = Store("dst");
        var puller = new ImagePuller(dst, dstLayers, new BlobFetcher(dst, _options), _options);
        var client = new RegistryClient(transports, Secure, "tls/img", null, push: false);
        var pulled = await puller.PullAsync(client, "v1", $"{Name}/tls/img:v1", Platform.Host, _ => { }, CancellationToken.None);
        Assert.Equal(digest, pulled.ManifestDigest);
        Assert.Equal("https", client.BaseUri.Scheme);
    }

    [Fact]
    public async Task SecureRegistry_CertificateForAnotherName_RefusedWithTheNamesItHolds()
    {
        using var transports = new RegistryTransports(new RegistryCertsDir(_tmp.Sub("certs.d")));
        var other = new RegistryEndpoint("localhost:" + _server!.EndPoint.Port, new Uri("https://localhost:" + _server.EndPoint.Port));
        Directory.CreateDirectory(Path.Join(_tmp.Sub("certs.d"), other.Name));
        File.WriteAllText(Path.Join(_tmp.Sub("certs.d"), other.Name, "ca.crt"), _ca!.ExportCertificatePem());
        var e = await Assert.ThrowsAsync<EngineException>(() => new RegistryClient(transports, other, "x/y", null, false).EnsureAuthorizedAsync(CancellationToken.None));
        Assert.EndsWith("tls: failed to verify certificate: x509: certificate is valid for 127.0.0.1, not localhost", e.Message);
    }

    [Fact]
    public async Task LoopbackRegistryOverTls_IsInsecure_HttpsWithoutVerificationAnswers()
    {
        using var transports = new RegistryTransports(new RegistryCertsDir(_tmp.Sub("certs.d")));
        var endpoint = RegistryEndpoint.Resolve(Name, _options);
        Assert.True(endpoint.IsPlainHttp);   // loopback: insecure, as Docker's 127.0.0.0/8 default
        var client = new RegistryClient(transports, endpoint, "tls/img", null, push: true);
        var (content, _) = Store("src");
        await new ImagePusher(content, new BlobSources(_tmp.Sub("sources")), _options).PushAsync(client, "v1", TestImage.Create(content, "b.txt"), _ => { }, CancellationToken.None);
        Assert.Equal("https", client.BaseUri.Scheme);
    }

    [Fact]
    public async Task Search_OverTls_FindsPushedRepositories()
    {
        using var transports = new RegistryTransports(new RegistryCertsDir(_tmp.Sub("certs.d")));
        var endpoint = RegistryEndpoint.Resolve(Name, _options);
        var (content, _) = Store("src");
        var pusher = new ImagePusher(content, new BlobSources(_tmp.Sub("sources")), _options);
        foreach (var repo in new[] { "team/web", "team/db", "other/cache" })
            await pusher.PushAsync(new RegistryClient(transports, endpoint, repo, null, push: true), "latest", TestImage.Create(content, repo.Replace('/', '-')), _ => { }, CancellationToken.None);

        var found = await RegistrySearch.SearchAsync(transports, endpoint, "team", 0, null, CancellationToken.None);
        Assert.Equal(["team/db", "team/web"], found.Results.Select(r => r.Name));
        Assert.Equal(2, found.NumResults);
        var one = await RegistrySearch.SearchAsync(transports, endpoint, "", 1, null, CancellationToken.None);
        Assert.Single(one.Results);
        Assert.Equal(3, one.NumResults);
        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => RegistrySearch.SearchAsync(transports, endpoint, "x", 101, null, CancellationToken.None));
        Assert.Equal("limit 101 is outside the range of [1, 100]", e.Message);
    }

    private (ContentStore, LayerStore) Store(string name)
    {
        var root = new DataRoot(_tmp.Sub(name));
        return (new ContentStore(root.ContentDir), new LayerStore(root));
    }

    // A CA and a leaf for 127.0.0.1 signed by it, as a test's openssl would make them.
    private static (X509Certificate2 Ca, string LeafPem, string KeyPem) MakeCertificates()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=berth test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=127.0.0.1", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = leafRequest.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);
        return (ca, leaf.ExportCertificatePem(), leafKey.ExportPkcs8PrivateKeyPem());
    }
}
