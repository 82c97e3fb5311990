using System.Net;
using System.Net.Sockets;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Security;

/// <summary>
/// One berthd for <see cref="ApiTlsTests"/>: its usual unix socket (group-owned by a throwaway group) plus
/// <c>-H tcp://127.0.0.1:&lt;free port&gt; --tlsverify</c> with certificates made for the run.
/// </summary>
public sealed class TlsDaemonFixture : IAsyncLifetime
{
    private TestCertificates? _certs;
    private DaemonFixture? _daemon;

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "berth-tls-" + Guid.NewGuid().ToString("N")[..10]);
    public string Group { get; } = "bt" + Guid.NewGuid().ToString("N")[..8];
    public int Port { get; } = FreePort();
    public bool GroupMade { get; private set; }
    internal TestCertificates Certs => _certs ?? throw new InvalidOperationException("not started (needs root)");
    public DaemonFixture Daemon => _daemon ?? throw new InvalidOperationException("not started (needs root)");
    public string TcpHost => $"tcp://127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        if (!Environment.IsPrivilegedProcess && Environment.GetEnvironmentVariable("CI") != "true") return;
        _certs = TestCertificates.Create(Dir);
        GroupMade = (await ProcessRunner.RunAsync("groupadd", [Group], timeout: TimeSpan.FromSeconds(10))).ExitCode == 0;
        _daemon = new DaemonFixture
        {
            ExtraArguments =
            [
                "-H", TcpHost, "--tlsverify", "--tlscacert", Certs.CaFile, "--tlscert", Certs.ServerCert, "--tlskey", Certs.ServerKey,
                .. (GroupMade ? new[] { "-G", Group } : []),
            ],
        };
        await _daemon.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null) await _daemon.DisposeAsync();
        if (GroupMade) await ProcessRunner.RunAsync("groupdel", [Group], timeout: TimeSpan.FromSeconds(10));
        if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
