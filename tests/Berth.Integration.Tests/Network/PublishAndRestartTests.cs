using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Network;

/// <summary>Published ports answer on the host's 127.0.0.1 (TCP and UDP), rules come and go with the container, and survive kill -9 of the daemon.</summary>
[Collection(DaemonCollection.Name)]
public sealed class PublishAndRestartTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker, NetTest.Clang)]
    public async Task PublishedTcpAndUdp_AnswerOnLoopback_AndRulesGoAwayOnStop()
    {
        var dir = Directory.CreateTempSubdirectory("berth-udp-").FullName;
        var name = NetTest.Name("pub");
        var tcpPort = NetTest.FreePort();
        var udpPort = NetTest.FreePort();
        try
        {
            var udpecho = await NetTest.BuildUdpEchoAsync(dir);
            (await daemon.RunDockerAsync(["run", "-d", "--name", name, "-v", $"{udpecho}:/udpecho:ro", "-p", $"127.0.0.1:{tcpPort}:80", "-p", $"{udpPort}:81/udp",
                "-P", "--expose", "90", "busybox", "sh", "-c", "/udpecho 81 & while true; do echo tcp-ok | nc -l -p 80; done"])).Ok("run -p");
            Assert.Equal("tcp-ok\n", await NetTest.EventuallyTcpAsync("127.0.0.1", tcpPort, "tcp-ok"));
            Assert.Equal("udp-ok", await NetTest.UdpExchangeAsync("127.0.0.1", udpPort, TimeSpan.FromSeconds(10)));

            var port = (await daemon.RunDockerAsync(["port", name])).Ok("docker port").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains($"80/tcp -> 127.0.0.1:{tcpPort}", port);
            Assert.Contains($"81/udp -> 0.0.0.0:{udpPort}", port);
            var random = Assert.Single(port, l => l.StartsWith("90/tcp -> 0.0.0.0:", StringComparison.Ordinal));
            Assert.True(int.Parse(random.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture) > 1024);
            var ps = (await daemon.RunDockerAsync(["ps", "--filter", "name=" + name, "--format", "{{.Ports}}"])).Ok("ps").Stdout;
            Assert.Contains($"127.0.0.1:{tcpPort}->80/tcp", ps);
            Assert.Single(await NetTest.NatRulesAsync(daemon, tcpPort));

            (await daemon.RunDockerAsync(["stop", "-t", "1", name])).Ok("stop");
            Assert.Empty(await NetTest.NatRulesAsync(daemon, tcpPort));
            Assert.Empty(await NetTest.NatRulesAsync(daemon, udpPort));
            // The host port is free again.
            using var again = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, tcpPort);
            again.Start();
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
            Directory.Delete(dir, recursive: true);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task Kill9_PublishedPortsAndDns_StillWorkAfterRestart()
    {
        var net = NetTest.Name("rst");
        var web = NetTest.Name("web");
        var port = NetTest.FreePort();
        await NetTest.CreateNetworkAsync(daemon, net);
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", web, "--network", net, "-p", $"{port}:80", "busybox", "sh", "-c",
                "while true; do echo hello-web | nc -l -p 80; done"])).Ok("run");
            await NetTest.EventuallyTcpAsync("127.0.0.1", port, "hello-web");

            await daemon.Kill9Async();
            await daemon.RestartAsync();

            Assert.Equal("hello-web\n", await NetTest.EventuallyTcpAsync("127.0.0.1", port, "hello-web"));
            Assert.Single(await NetTest.NatRulesAsync(daemon, port));
            var r = (await daemon.RunDockerAsync(["run", "--rm", "--network", net, "busybox", "sh", "-c", $"echo | nc -w 3 {web} 80"])).Ok("name after restart");
            Assert.Contains("hello-web", r.Stdout);
            // The address the restarted daemon hands out next is not the running container's.
            var ip = (await daemon.RunDockerAsync(["inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{net}\").IPAddress}}}}", web])).Ok("inspect").Stdout.Trim();
            var other = (await daemon.RunDockerAsync(["run", "--rm", "--network", net, "busybox", "sh", "-c", "ip -o -4 addr show eth0"])).Ok("second container").Stdout;
            Assert.DoesNotContain(ip + "/", other);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(web);
            await NetTest.RemoveNetworkQuietlyAsync(daemon, net);
        }
    }
}
