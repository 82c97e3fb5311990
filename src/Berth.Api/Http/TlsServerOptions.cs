using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Api.Http;

/// <summary>
/// dockerd's <c>--tlsverify</c>: the server presents <c>--tlscert</c>/<c>--tlskey</c> and demands a client certificate
/// that chains to <c>--tlscacert</c> and nothing else (the system trust store is ignored), valid now and usable for
/// client authentication.
/// </summary>
public static class TlsServerOptions
{
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    /// <summary>Loads the PEM files; a missing or unreadable file throws <see cref="ArgumentException"/> naming it.</summary>
    public static SslServerAuthenticationOptions CreateMutual(string caFile, string certFile, string keyFile)
    {
        var roots = LoadCertificates(caFile, "--tlscacert");
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = LoadServerCertificate(certFile, keyFile),
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, presented, _) => IsTrustedClient(certificate, presented, roots),
        };
    }

    /// <summary>
    /// A server that presents <paramref name="certFile"/> (leaf first, then intermediates) with <paramref name="keyFile"/> and asks
    /// nothing of clients: <c>berth registry serve --tls-cert --tls-key</c>, like distribution's <c>http.tls</c>.
    /// </summary>
    public static SslServerAuthenticationOptions CreateServerOnly(string certFile, string keyFile) => new()
    {
        ServerCertificateContext = LoadServerCertificate(certFile, keyFile),
        ClientCertificateRequired = false,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
    };

    /// <summary>
    /// The certificate a server presents: the first certificate of <paramref name="certFile"/> is the leaf (with
    /// <paramref name="keyFile"/>'s key), the rest are intermediates sent along with it.
    /// </summary>
    private static SslStreamCertificateContext LoadServerCertificate(string certFile, string keyFile)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
            // An ephemeral PEM key cannot be used by SslStream on every platform: round-trip through PKCS#12.
            var leaf = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(certFile);
            var intermediates = new X509Certificate2Collection();
            for (var i = 1; i < chain.Count; i++) intermediates.Add(chain[i]);
            return SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"could not load the server certificate {certFile} with key {keyFile}: {e.Message}", e);
        }
    }

    /// <summary>True when <paramref name="certificate"/> chains to one of <paramref name="roots"/> only.</summary>
    internal static bool IsTrustedClient(X509Certificate? certificate, X509Chain? presented, X509Certificate2Collection roots)
    {
        if (certificate is null) return false;   // no certificate: rejected, whatever the transport thought
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        // A certificate with an extended key usage must allow client auth (as Go's ExtKeyUsageClientAuth check).
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuth);
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        var cert = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        try
        {
            return chain.Build(cert);
        }
        finally
        {
            if (!ReferenceEquals(cert, certificate)) cert.Dispose();
        }
    }

    private static X509Certificate2Collection LoadCertificates(string file, string flag)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(file);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"could not read {flag} {file}: {e.Message}", e);
        }
        if (roots.Count == 0) throw new ArgumentException($"{flag} {file} holds no PEM certificate");
        return roots;
    }
}
