using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Security;

/// <summary>
/// berthd on a unix socket and on 127.0.0.1:&lt;free port&gt; with --tlsverify, reached by the docker CLI, berth and raw
/// TLS clients: the CA's client certificate gets in (plain requests and hijacked attach/exec), anything else is refused.
/// One daemon for the class (its own group for the socket, too).
/// </summary>
public sealed class ApiTlsTests(TlsDaemonFixture fixture) : IClassFixture<TlsDaemonFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _dir = fixture.Dir;
    private readonly bool _groupMade = fixture.GroupMade;
    private readonly string _group = fixture.Group;
    private readonly int _port = fixture.Port;

    private TestCertificates Certs => fixture.Certs;
    private DaemonFixture Daemon => fixture.Daemon;
    private string TcpHost => fixture.TcpHost;

    [RootFact(DaemonFixture.DockerCliPath)]
    public async Task DockerCli_WithClientCertificate_RunsVersionRunExecAndAttach()
    {
        var version = await DockerTlsAsync(["version", "--format", "{{.Server.Version}}"]);
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.False(string.IsNullOrWhiteSpace(version.Stdout), version.ToString());

        var run = await DockerTlsAsync(["run", "--rm", "busybox", "echo", "over-tls"]);
        Assert.True(run.ExitCode == 0 && run.Stdout.Trim() == "over-tls", run.ToString());

        // stdin through a hijacked TLS connection, then the half-close, then the output back.
        var attach = await DockerTlsAsync(["run", "--rm", "-i", "busybox", "sh", "-c", "cat; echo done"], stdin: "piped-in\n");
        Assert.True(attach.ExitCode == 0 && attach.Stdout == "piped-in\ndone\n", attach.ToString());

        var name = "tls-exec-" + Guid.NewGuid().ToString("N")[..8];
        var started = await DockerTlsAsync(["run", "-d", "--name", name, "busybox", "sleep", "60"]);
        Assert.True(started.ExitCode == 0, started.ToString());
        try
        {
            var exec = await DockerTlsAsync(["exec", "-i", name, "sh", "-c", "read x; echo got-$x"], stdin: "line\n");
            Assert.True(exec.ExitCode == 0 && exec.Stdout.Trim() == "got-line", exec.ToString());
        }
        finally
        {
            await DockerTlsAsync(["rm", "-f", name]);
        }
    }

    [RootFact]
    public async Task BerthCli_WithDockerTlsEnvironment_Works()
    {
        var env = new Dictionary<string, string?>(Daemon.ClientEnvironment)
        {
            ["DOCKER_HOST"] = TcpHost, ["DOCKER_TLS_VERIFY"] = "1", ["DOCKER_CERT_PATH"] = Certs.Dir,
        };
        var version = await ProcessRunner.RunAsync(RepoPaths.Berth, ["version"], env, timeout: Timeout);
        Assert.True(version.ExitCode == 0 && version.Stdout.Contains("Server", StringComparison.Ordinal), version.ToString());
        var run = await ProcessRunner.RunAsync(RepoPaths.Berth, ["run", "--rm", "-i", "busybox", "cat"], env, "berth-tls\n", Timeout);
        Assert.True(run.ExitCode == 0 && run.Stdout.Trim() == "berth-tls", run.ToString());

        // The same through the global flags, and a rogue certificate is refused with a TLS error.
        env.Remove("DOCKER_TLS_VERIFY");
        env.Remove("DOCKER_CERT_PATH");
        var flags = await ProcessRunner.RunAsync(RepoPaths.Berth,
            ["-H", TcpHost, "--tlsverify", "--tlscacert", Certs.CaFile, "--tlscert", Certs.ClientCert, "--tlskey", Certs.ClientKey, "ps"], env, timeout: Timeout);
        Assert.True(flags.ExitCode == 0 && flags.Stdout.StartsWith("CONTAINER ID", StringComparison.Ordinal), flags.ToString());
        var rogue = await ProcessRunner.RunAsync(RepoPaths.Berth,
            ["-H", TcpHost, "--tlsverify", "--tlscacert", Certs.CaFile, "--tlscert", Path.Combine(Certs.RogueDir, "cert.pem"),
             "--tlskey", Path.Combine(Certs.RogueDir, "key.pem"), "ps"], env, timeout: Timeout);
        Assert.True(rogue.ExitCode != 0, rogue.ToString());
    }

    [RootFact(DaemonFixture.DockerCliPath)]
    public async Task DockerCli_WithoutOrWithForeignCertificate_IsRejected()
    {
        var noCertDir = Path.Combine(_dir, "nocert");
        Directory.CreateDirectory(noCertDir);
        File.Copy(Certs.CaFile, Path.Combine(noCertDir, "ca.pem"));
        var env = new Dictionary<string, string?>(Daemon.ClientEnvironment)
        {
            ["DOCKER_HOST"] = TcpHost, ["DOCKER_TLS_VERIFY"] = "1", ["DOCKER_CERT_PATH"] = noCertDir,
        };
        var none = await ProcessRunner.RunAsync(DaemonFixture.DockerCliPath, ["version", "--format", "{{.Server.Version}}"], env, timeout: Timeout);
        Assert.True(none.ExitCode != 0, none.ToString());

        env["DOCKER_CERT_PATH"] = Certs.RogueDir;
        var rogue = await ProcessRunner.RunAsync(DaemonFixture.DockerCliPath, ["ps"], env, timeout: Timeout);
        Assert.True(rogue.ExitCode != 0 && !rogue.Stdout.Contains("CONTAINER", StringComparison.Ordinal), rogue.ToString());
    }

    [RootFact]
    public async Task RawClients_NoCertificate_ForeignCertificate_PlainHttp_GetNoAnswer()
    {
        // The control: the right client certificate is answered.
        Assert.StartsWith("HTTP/1.1 200", await TlsPingAsync(X509Certificate2.CreateFromPemFile(Certs.ClientCert, Certs.ClientKey)));

        Assert.DoesNotContain("HTTP/1.1", await TlsPingAsync(null));
        Assert.DoesNotContain("HTTP/1.1", await TlsPingAsync(
            X509Certificate2.CreateFromPemFile(Path.Combine(Certs.RogueDir, "cert.pem"), Path.Combine(Certs.RogueDir, "key.pem"))));

        using var plain = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await plain.ConnectAsync(IPAddress.Loopback, _port);
        await plain.SendAsync("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        Assert.DoesNotContain("HTTP/1.1 200", await ReadAllAsync(new NetworkStream(plain)));

        // Still serving the good client afterwards.
        Assert.StartsWith("HTTP/1.1 200", await TlsPingAsync(X509Certificate2.CreateFromPemFile(Certs.ClientCert, Certs.ClientKey)));
    }

    [RootFact]
    public async Task UnixSocket_Is0660_AndOwnedByTheGroup()
    {
        var mode = File.GetUnixFileMode(Daemon.SocketPath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, mode);
        var stat = await ProcessRunner.RunAsync("stat", ["-c", "%u %G", Daemon.SocketPath], timeout: Timeout);
        var fallback = File.ReadLines("/etc/group").Any(l => l.StartsWith("berth:", StringComparison.Ordinal)) ? "berth" : "root";
        Assert.Equal($"0 {(_groupMade ? _group : fallback)}", stat.Stdout.Trim());
    }

    [RootFact]
    public async Task Berthd_RefusesTcpWithoutTlsVerify_AndAMissingGroup()
    {
        var root = Path.Combine(_dir, "refused");
        foreach (var extra in new[] { Array.Empty<string>(), ["--tls"] })
        {
            var r = await ProcessRunner.RunAsync(RepoPaths.Berthd,
                ["--data-root", Path.Combine(root, "d"), "--exec-root", Path.Combine(root, "r"), "-H", $"tcp://127.0.0.1:{FreePort()}", .. extra],
                timeout: Timeout);
            Assert.True(r.ExitCode == 125 && r.Stderr.Contains("refusing to listen on tcp://127.0.0.1", StringComparison.Ordinal)
                        && r.Stderr.Contains("--tlsverify", StringComparison.Ordinal), r.ToString());
            Assert.False(Directory.Exists(Path.Combine(root, "d")), "berthd refused before touching its data root");
        }
        var missing = await ProcessRunner.RunAsync(RepoPaths.Berthd, ["-H", "tcp://127.0.0.1:1", "--tlsverify", "--tlscacert", Path.Combine(root, "none.pem"),
            "--data-root", Path.Combine(root, "d2"), "--exec-root", Path.Combine(root, "r2")], timeout: Timeout);
        Assert.True(missing.ExitCode == 125 && missing.Stderr.Contains("none.pem", StringComparison.Ordinal), missing.ToString());
        Assert.False(Directory.Exists(Path.Combine(root, "d2")), "berthd refused before touching its data root");

        var group = await ProcessRunner.RunAsync(RepoPaths.Berthd, ["-G", "no-such-group-" + Guid.NewGuid().ToString("N")[..6],
            "--data-root", Path.Combine(root, "d3"), "--exec-root", Path.Combine(root, "r3")], timeout: Timeout);
        Assert.True(group.ExitCode == 125 && group.Stderr.Contains("not found", StringComparison.Ordinal), group.ToString());
    }

    private Task<CommandResult> DockerTlsAsync(string[] args, string? stdin = null) =>
        ProcessRunner.RunAsync(DaemonFixture.DockerCliPath,
            ["-H", TcpHost, "--tlsverify", "--tlscacert", Certs.CaFile, "--tlscert", Certs.ClientCert, "--tlskey", Certs.ClientKey, .. args],
            Daemon.ClientEnvironment, stdin, Timeout);

    /// <summary>A TLS client that trusts the server's CA, with the given client certificate; returns whatever came back.</summary>
    private async Task<string> TlsPingAsync(X509Certificate2? clientCert)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, _port);
        await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false));
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "127.0.0.1",
                ClientCertificates = clientCert is null ? null : [clientCert],
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            });
            await ssl.WriteAsync("GET /_ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"u8.ToArray());
            return await ReadAllAsync(ssl);
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or SocketException)
        {
            return "refused: " + e.Message;
        }
    }

    private static async Task<string> ReadAllAsync(Stream stream)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buf = new MemoryStream();
        try
        {
            await stream.CopyToAsync(buf, cts.Token);
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or SocketException)
        {
            // A reset or an alert is the refusal we expect; what arrived before it is returned.
        }
        return Encoding.ASCII.GetString(buf.ToArray());
    }

    private static int FreePort() => TlsDaemonFixture.FreePort();
}
