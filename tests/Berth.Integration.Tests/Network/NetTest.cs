using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Network;

/// <summary>Helpers for the network tests: unique names, traffic from the host, and a tiny static UDP echo server.</summary>
internal static class NetTest
{
    public const string Clang = "/usr/bin/clang";

    public static string Name(string prefix) => E2E.UniqueName(prefix);

    /// <summary>Creates a network; returns its id.</summary>
    public static async Task<string> CreateNetworkAsync(DaemonFixture daemon, string name, params string[] options) =>
        (await daemon.RunDockerAsync(["network", "create", .. options, name])).Ok("network create " + name).Stdout.Trim();

    public static async Task RemoveNetworkQuietlyAsync(DaemonFixture daemon, string name)
    {
        try { await daemon.RunDockerAsync(["network", "rm", name], timeout: TimeSpan.FromSeconds(30)); }
        catch (TimeoutException) { } // the fixture removes leftover networks at the end
    }

    /// <summary>Connects to host:port over TCP, sends a line, returns what comes back until the peer closes.</summary>
    public static async Task<string> TcpExchangeAsync(string host, int port, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Parse(host), port, cts.Token);
        var stream = client.GetStream();
        await stream.WriteAsync("ping\n"u8.ToArray(), cts.Token);
        client.Client.Shutdown(SocketShutdown.Send);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cts.Token);
    }

    public static async Task<string> UdpExchangeAsync(string host, int port, TimeSpan timeout)
    {
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await udp.SendAsync("ping"u8.ToArray(), new IPEndPoint(IPAddress.Parse(host), port));
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try
            {
                var r = await udp.ReceiveAsync(cts.Token);
                return Encoding.UTF8.GetString(r.Buffer);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"no UDP answer from {host}:{port}");
            }
        }
    }

    /// <summary>Retries a TCP exchange until the server in the container is listening.</summary>
    public static Task<string> EventuallyTcpAsync(string host, int port, string expected) =>
        E2E.EventuallyAsync(async () =>
        {
            try { return await TcpExchangeAsync(host, port, TimeSpan.FromSeconds(3)); }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException) { return ex.Message; }
        }, s => s.Contains(expected, StringComparison.Ordinal), TimeSpan.FromSeconds(15), $"TCP answer from {host}:{port}");

    /// <summary>A static UDP server that answers every datagram with "udp-ok" (busybox has no UDP server applet).</summary>
    public static async Task<string> BuildUdpEchoAsync(string dir)
    {
        var src = Path.Combine(dir, "udpecho.c");
        var bin = Path.Combine(dir, "udpecho");
        await File.WriteAllTextAsync(src, """
            #include <arpa/inet.h>
            #include <stdlib.h>
            #include <sys/socket.h>
            int main(int argc, char **argv) {
              int s = socket(AF_INET, SOCK_DGRAM, 0);
              struct sockaddr_in a = {0}; a.sin_family = AF_INET; a.sin_port = htons(atoi(argv[1]));
              if (bind(s, (struct sockaddr *)&a, sizeof a)) return 1;
              char buf[2048]; struct sockaddr_in c; socklen_t cl;
              for (;;) { cl = sizeof c; if (recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&c, &cl) < 0) continue;
                sendto(s, "udp-ok", 6, 0, (struct sockaddr *)&c, cl); }
            }
            """);
        var r = await ProcessRunner.RunAsync(Clang, ["-static", "-O1", "-o", bin, src], timeout: TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, $"clang: {r}");
        return bin;
    }

    /// <summary>The DNAT rules this daemon has for a host port (empty when none).</summary>
    public static async Task<List<string>> NatRulesAsync(DaemonFixture daemon, int hostPort)
    {
        var r = await ProcessRunner.RunAsync("iptables", ["-w", "-t", "nat", "-S", "BERTH-" + daemon.BridgeName]);
        return [.. r.Stdout.Split('\n').Where(l => l.Contains($"--dport {hostPort} ", StringComparison.Ordinal))];
    }

    /// <summary>
    /// An IPv4 address of the host outside our bridges (its eth0, say), or the default bridge's address when it has
    /// none: "the host's address" a container dials to reach a published port.
    /// </summary>
    public static string HostAddress(DaemonFixture daemon)
    {
        foreach (var nic in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.Name.StartsWith("br-", StringComparison.Ordinal) || nic.Name.StartsWith("veth", StringComparison.Ordinal) ||
                nic.Name.StartsWith("bt", StringComparison.Ordinal) || nic.Name.StartsWith("docker", StringComparison.Ordinal) ||
                nic.Name == daemon.BridgeName || nic.OperationalStatus != System.Net.NetworkInformation.OperationalStatus.Up) continue;
            foreach (var a in nic.GetIPProperties().UnicastAddresses)
            {
                if (a.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a.Address)) return a.Address.ToString();
            }
        }
        return daemon.BridgeCidr.Split('/')[0];
    }

    public static async Task<string> GatewayAsync(DaemonFixture daemon, string network) =>
        (await daemon.RunDockerAsync(["network", "inspect", "-f", "{{(index .IPAM.Config 0).Gateway}}", network])).Ok("network inspect").Stdout.Trim();

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
