using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Client;

/// <summary>
/// Where the daemon listens and how to reach it: a unix socket, or <c>tcp://host:port</c>, plain or TLS. With TLS the
/// client presents <see cref="CertFile"/>/<see cref="KeyFile"/> when they exist, and with <see cref="TlsVerify"/> it
/// trusts only a server certificate chaining to <see cref="CaFile"/> and naming the host (the docker CLI's
/// <c>--tlsverify</c>); <c>--tls</c> alone skips the server check, as docker does.
/// </summary>
public sealed class DaemonEndpoint
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    private DaemonEndpoint(string? unixPath, string? host, int port, bool tls, bool tlsVerify, string? caFile, string? certFile, string? keyFile)
    {
        UnixPath = unixPath;
        Host = host;
        Port = port;
        Tls = tls;
        TlsVerify = tlsVerify;
        CaFile = caFile;
        CertFile = certFile;
        KeyFile = keyFile;
    }

    public string? UnixPath { get; }
    public string? Host { get; }
    public int Port { get; }
    public bool Tls { get; }
    public bool TlsVerify { get; }
    public string? CaFile { get; }
    public string? CertFile { get; }
    public string? KeyFile { get; }

    public static DaemonEndpoint Unix(string path) => new(path, null, 0, false, false, null, null, null);

    /// <summary>A TCP endpoint; <paramref name="tlsVerify"/> implies TLS.</summary>
    public static DaemonEndpoint Tcp(string host, int port, bool tls = false, bool tlsVerify = false,
        string? caFile = null, string? certFile = null, string? keyFile = null) =>
        new(null, host, port, tls || tlsVerify, tlsVerify, caFile, certFile, keyFile);

    public override string ToString() => UnixPath is not null ? "unix://" + UnixPath : $"tcp://{Host}:{Port}";

    /// <summary>Dials the daemon (and runs the TLS handshake); returns the socket and the stream to speak HTTP on.</summary>
    public async Task<(Socket Socket, Stream Stream)> ConnectAsync(CancellationToken ct)
    {
        var socket = UnixPath is not null
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (UnixPath is not null)
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(UnixPath), ct);
                return (socket, new NetworkStream(socket, ownsSocket: false));
            }
            socket.NoDelay = true;
            await socket.ConnectAsync(Host!, Port, ct);
            var network = new NetworkStream(socket, ownsSocket: false);
            if (!Tls) return (socket, network);
            var ssl = new SslStream(network, leaveInnerStreamOpen: false);
            try
            {
                await ssl.AuthenticateAsClientAsync(ClientOptions(), ct);
            }
            catch
            {
                await ssl.DisposeAsync();
                throw;
            }
            return (socket, ssl);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private SslClientAuthenticationOptions ClientOptions()
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = Host,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (CertFile is not null && KeyFile is not null && File.Exists(CertFile) && File.Exists(KeyFile))
        {
            try
            {
                options.ClientCertificates = [X509Certificate2.CreateFromPemFile(CertFile, KeyFile)];
            }
            catch (CryptographicException e)
            {
                throw new AuthenticationException($"could not load the client certificate {CertFile}: {e.Message}", e);
            }
        }
        if (!TlsVerify)
        {
            options.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
            return options;
        }
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(CaFile ?? throw new AuthenticationException("--tlsverify needs a CA file (--tlscacert)"));
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new AuthenticationException($"could not read the CA file {CaFile}: {e.Message}", e);
        }
        options.RemoteCertificateValidationCallback = (_, certificate, presented, errors) =>
        {
            if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
                return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.ApplicationPolicy.Add(ServerAuth);
            if (presented is not null)
            {
                foreach (var element in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
            var cert = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(cert);
        };
        return options;
    }
}
