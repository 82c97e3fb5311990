using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Distribution.Tls;

/// <summary>
/// Verifies a registry's certificate as Go's crypto/tls does for dockerd: it must chain to the system roots or to a CA of the
/// registry's certs.d directory, be valid now and name the host. A refusal is kept in Go's words
/// (<c>tls: failed to verify certificate: x509: certificate signed by unknown authority</c>) so the pull error reads as Docker's.
/// </summary>
internal sealed class ServerCertificateCheck(RegistryCertsDir certs, string hostAndPort)
{
    private volatile string? _lastFailure;

    /// <summary>Why the last handshake was refused, in Go's words (null when none was).</summary>
    public string? LastFailure => _lastFailure;

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        // A redirect (a blob served from elsewhere) is checked against the host it went to; the CAs stay the registry's.
        var target = (sender as SslStream)?.TargetHostName is { Length: > 0 } t ? t : HostOf(hostAndPort);
        var failure = Check(certificate, presented, errors, target);
        _lastFailure = failure;
        return failure is null;
    }

    private string? Check(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, string host)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0) return "tls: failed to verify certificate: x509: no certificate presented";
        var cert = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 && !Names(cert, host))
            return $"tls: failed to verify certificate: x509: certificate is valid for {string.Join(", ", DnsNames(cert).Concat(IpNames(cert)))}, not {host}";
        var now = DateTime.Now;
        if (now < cert.NotBefore || now > cert.NotAfter)
            return $"tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} is {(now > cert.NotAfter ? "after " + cert.NotAfter.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ") : "before " + cert.NotBefore.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ"))}";
        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0) return null;   // the system roots vouch for it
        var extra = certs.CaCertificates(hostAndPort);
        if (extra.Count == 0) return "tls: failed to verify certificate: x509: certificate signed by unknown authority";
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(extra);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
            foreach (var element in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        return chain.Build(cert) ? null : "tls: failed to verify certificate: x509: certificate signed by unknown authority";
    }

    private static bool Names(X509Certificate2 cert, string host) =>
        IPAddress.TryParse(host, out var ip) ? IpNames(cert).Any(n => IPAddress.TryParse(n, out var a) && a.Equals(ip)) : cert.MatchesHostname(host, allowWildcards: true, allowCommonName: false);

    private static IEnumerable<string> DnsNames(X509Certificate2 cert) =>
        cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames());

    private static IEnumerable<string> IpNames(X509Certificate2 cert) =>
        cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateIPAddresses()).Select(a => a.ToString());

    internal static string HostOf(string hostAndPort)
    {
        if (hostAndPort.StartsWith('['))
        {
            var close = hostAndPort.IndexOf(']', StringComparison.Ordinal);
            return close > 0 ? hostAndPort[1..close] : hostAndPort;
        }
        var colon = hostAndPort.LastIndexOf(':');
        return colon > 0 ? hostAndPort[..colon] : hostAndPort;
    }
}
