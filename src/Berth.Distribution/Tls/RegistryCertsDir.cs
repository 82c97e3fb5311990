using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Core.Errors;

namespace Berth.Distribution.Tls;

/// <summary>
/// Docker's per-registry TLS directory, <c>/etc/docker/certs.d/&lt;host:port&gt;/</c>: every <c>*.crt</c> is a CA trusted on top of
/// the system's, every <c>NAME.cert</c> with its <c>NAME.key</c> a client certificate. Read at each handshake, as dockerd reads it
/// at each pull, so a CA dropped in later is honoured without a restart.
/// </summary>
public sealed class RegistryCertsDir(string root)
{
    public const string DockerDefault = "/etc/docker/certs.d";

    public string Root { get; } = root;

    public string HostDir(string hostAndPort) => Path.Join(Root, hostAndPort);

    /// <summary>The CAs of <paramref name="hostAndPort"/> (none when its directory is absent).</summary>
    public X509Certificate2Collection CaCertificates(string hostAndPort)
    {
        var result = new X509Certificate2Collection();
        var dir = HostDir(hostAndPort);
        if (!Directory.Exists(dir)) return result;
        foreach (var file in Directory.EnumerateFiles(dir, "*.crt").Order(StringComparer.Ordinal))
        {
            try
            {
                result.ImportFromPemFile(file);
            }
            catch (CryptographicException)
            {
                // Go's AppendCertsFromPEM skips what it cannot parse; so do we.
            }
        }
        return result;
    }

    /// <summary>The client certificates (<c>*.cert</c> + <c>*.key</c>); a half pair is an error in moby's words.</summary>
    public X509Certificate2Collection ClientCertificates(string hostAndPort)
    {
        var result = new X509Certificate2Collection();
        var dir = HostDir(hostAndPort);
        if (!Directory.Exists(dir)) return result;
        var names = Directory.EnumerateFiles(dir).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            if (name!.EndsWith(".cert", StringComparison.Ordinal))
            {
                var key = name[..^5] + ".key";
                if (!names.Contains(key)) throw new InvalidArgumentException($"missing key {key} for client certificate {name}. CA certificates must use the extension .crt");
                using var pem = X509Certificate2.CreateFromPemFile(Path.Join(dir, name), Path.Join(dir, key));
                // SslStream needs a key it can use on Linux: export and re-import as PKCS#12.
                result.Add(X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null));
            }
            else if (name.EndsWith(".key", StringComparison.Ordinal) && !names.Contains(name[..^4] + ".cert"))
            {
                throw new InvalidArgumentException($"missing client certificate {name[..^4]}.cert for key {name}");
            }
        }
        return result;
    }
}
