using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Integration.Tests.Security;

/// <summary>
/// A throwaway PKI in a directory, laid out as docker expects (<c>ca.pem</c>, <c>cert.pem</c>, <c>key.pem</c> for the
/// client; <c>server-*.pem</c> for the daemon) plus a second, unrelated CA with its own client under <c>rogue/</c>.
/// ECDSA P-256 keys: quick to make and understood by Go's TLS.
/// </summary>
internal sealed class TestCertificates
{
    private TestCertificates(string dir) => Dir = dir;

    public string Dir { get; }
    public string CaFile => Path.Combine(Dir, "ca.pem");
    public string ClientCert => Path.Combine(Dir, "cert.pem");
    public string ClientKey => Path.Combine(Dir, "key.pem");
    public string ServerCert => Path.Combine(Dir, "server-cert.pem");
    public string ServerKey => Path.Combine(Dir, "server-key.pem");

    /// <summary>A docker cert dir whose client certificate comes from another CA (but trusts the real server CA).</summary>
    public string RogueDir => Path.Combine(Dir, "rogue");

    public static TestCertificates Create(string dir)
    {
        Directory.CreateDirectory(dir);
        Directory.CreateDirectory(Path.Combine(dir, "rogue"));
        var certs = new TestCertificates(dir);
        using var ca = MakeCa("Berth Test CA");
        using var rogueCa = MakeCa("Rogue CA");
        Write(certs.CaFile, ca.ExportCertificatePem());
        Write(Path.Combine(certs.RogueDir, "ca.pem"), ca.ExportCertificatePem());
        Issue(ca, "berthd", server: true, certs.ServerCert, certs.ServerKey);
        Issue(ca, "client", server: false, certs.ClientCert, certs.ClientKey);
        Issue(rogueCa, "client", server: false, Path.Combine(certs.RogueDir, "cert.pem"), Path.Combine(certs.RogueDir, "key.pem"));
        return certs;
    }

    private static X509Certificate2 MakeCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        return req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
    }

    private static void Issue(X509Certificate2 ca, string name, bool server, string certFile, string keyFile)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            san.AddDnsName("localhost");
            req.CertificateExtensions.Add(san.Build());
        }
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        using var cert = req.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), serial);
        Write(certFile, cert.ExportCertificatePem());
        Write(keyFile, key.ExportPkcs8PrivateKeyPem());
    }

    private static void Write(string path, string pem) => File.WriteAllText(path, pem + "\n");
}
