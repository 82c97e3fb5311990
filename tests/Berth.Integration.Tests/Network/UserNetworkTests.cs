using System.Diagnostics;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Network;

/// <summary>Real traffic between busybox containers on user-defined networks: names, aliases, isolation, --internal, connect.</summary>
[Collection(DaemonCollection.Name)]
public sealed class UserNetworkTests(DaemonFixture daemon)
{
    private const string Server = "while true; do echo hello-from-server | nc -l -p 80; done";

    [RootFact(E2E.Docker)]
    public async Task SameNetwork_ReachesByNameAndAlias_AndUnknownNamesFailFast()
    {
        var net = NetTest.Name("net");
        var web = NetTest.Name("web");
        var id = await NetTest.CreateNetworkAsync(daemon, net);
        Assert.True(Directory.Exists("/sys/class/net/br-" + id[..12]), "the network's bridge exists");
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", web, "--network", net, "--network-alias", "www", "busybox", "sh", "-c", Server])).Ok("run server");
            // busybox nslookup sends A and AAAA at once and prints each answer as it arrives, so the address is not
            // always on the last lines (the old `| tail -n 2` here saw it only when the AAAA answer came first): every
            // lookup's whole output must hold it. Five rounds each, to catch a lookup that answers only sometimes.
            var script = $"cat /etc/resolv.conf; echo | nc -w 3 {web} 80; echo | nc -w 3 www 80; " +
                $"for i in 1 2 3 4 5; do echo '== www'; nslookup www; echo '== fqdn'; nslookup {web}.{net}; done";
            var r = await E2E.EventuallyAsync(() => daemon.RunDockerAsync(["run", "--rm", "--network", net, "busybox", "sh", "-c", script]),
                r => r.Stdout.Split("hello-from-server").Length == 3, TimeSpan.FromSeconds(15), "both names answering");
            Assert.Contains("nameserver 127.0.0.11", r.Stdout);
            var ip = (await daemon.RunDockerAsync(["inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{net}\").IPAddress}}}}", web])).Ok("inspect").Stdout.Trim();
            var lookups = r.Stdout.Split("== ")[1..];
            Assert.Equal(10, lookups.Length);
            Assert.All(lookups, l => Assert.Contains("Address: " + ip + "\n", l, StringComparison.Ordinal));

            // Names the daemon does not know go to the host's resolvers; where those cannot be reached the answer is a quick failure.
            var clock = Stopwatch.StartNew();
            var miss = await daemon.RunDockerAsync(["run", "--rm", "--network", net, "busybox", "nslookup", "no-such-host.invalid"]);
            Assert.NotEqual(0, miss.ExitCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(12), $"nslookup took {clock.Elapsed}");
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(web);
            await NetTest.RemoveNetworkQuietlyAsync(daemon, net);
        }
        Assert.False(Directory.Exists("/sys/class/net/br-" + id[..12]), "the network's bridge is gone with it");
    }

    [RootFact(E2E.Docker)]
    public async Task DifferentNetworks_CannotReachEachOther()
    {
        var a = NetTest.Name("neta");
        var b = NetTest.Name("netb");
        var web = NetTest.Name("web");
        await NetTest.CreateNetworkAsync(daemon, a);
        await NetTest.CreateNetworkAsync(daemon, b);
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", web, "--network", a, "busybox", "sh", "-c", Server])).Ok("run server");
            var ip = (await daemon.RunDockerAsync(["inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{a}\").IPAddress}}}}", web])).Ok("inspect").Stdout.Trim();
            // Reachable from its own network (proves the server is up) ...
            await E2E.EventuallyAsync(() => daemon.RunDockerAsync(["run", "--rm", "--network", a, "busybox", "sh", "-c", $"echo | nc -w 3 {ip} 80"]),
                r => r.Stdout.Contains("hello-from-server", StringComparison.Ordinal), TimeSpan.FromSeconds(15), "same-network reach");
            // ... but neither by name nor by address from the other one, nor from the default bridge.
            foreach (var from in new[] { b, "bridge" })
            {
                var r = await daemon.RunDockerAsync(["run", "--rm", "--network", from, "busybox", "sh", "-c", $"echo | nc -w 2 {ip} 80; nslookup {web} >/dev/null 2>&1 && echo resolved"]);
                Assert.DoesNotContain("hello-from-server", r.Stdout);
                Assert.DoesNotContain("resolved", r.Stdout);
            }
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(web);
            await NetTest.RemoveNetworkQuietlyAsync(daemon, a);
            await NetTest.RemoveNetworkQuietlyAsync(daemon, b);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task Internal_HasNoWayOut_ButReachesItsPeers()
    {
        var net = NetTest.Name("int");
        var web = NetTest.Name("web");
        await NetTest.CreateNetworkAsync(daemon, net, "--internal");
        var port = NetTest.FreePort();
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, port);
        listener.Start();
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", web, "--network", net, "busybox", "sh", "-c", Server])).Ok("run server");
            var gateway = daemon.BridgeCidr.Split('/')[0];
            var r = await daemon.RunDockerAsync(["run", "--rm", "--network", net, "busybox", "sh", "-c",
                $"ip route; echo | nc -w 2 {gateway} {port} && echo escaped; sleep 1; echo | nc -w 3 {web} 80"]);
            Assert.DoesNotContain("default", r.Stdout);
            Assert.DoesNotContain("escaped", r.Stdout);
            Assert.Contains("hello-from-server", r.Stdout);
            Assert.False(listener.Pending(), "a connection from the internal network reached the host");
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(web);
            await NetTest.RemoveNetworkQuietlyAsync(daemon, net);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task ConnectAndDisconnect_RunningContainer_TakeEffect()
    {
        var net = NetTest.Name("conn");
        var web = NetTest.Name("web");
        await NetTest.CreateNetworkAsync(daemon, net, "--subnet", "10.199.77.0/24");
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", web, "busybox", "sh", "-c", Server])).Ok("run on default bridge");
            (await daemon.RunDockerAsync(["network", "connect", "--alias", "svc", "--ip", "10.199.77.50", net, web])).Ok("connect");
            var inspect = (await daemon.RunDockerAsync(["network", "inspect", "-f", "{{range .Containers}}{{.Name}} {{.IPv4Address}}{{end}}", net])).Ok("network inspect");
            Assert.Equal($"{web} 10.199.77.50/24\n", inspect.Stdout);
            await E2E.EventuallyAsync(() => daemon.RunDockerAsync(["run", "--rm", "--network", net, "busybox", "sh", "-c", "echo | nc -w 3 svc 80"]),
                r => r.Stdout.Contains("hello-from-server", StringComparison.Ordinal), TimeSpan.FromSeconds(15), "reach after connect");
            // Started on the default bridge (no embedded DNS), it now resolves names on the network it joined.
            Assert.Contains("nameserver 127.0.0.11", (await daemon.RunDockerAsync(["exec", web, "cat", "/etc/resolv.conf"])).Ok("resolv.conf").Stdout);
            var lookup = (await daemon.RunDockerAsync(["exec", web, "nslookup", "svc"])).Ok("nslookup svc from the connected container").Stdout;
            Assert.Contains("10.199.77.50", lookup);

            (await daemon.RunDockerAsync(["network", "disconnect", net, web])).Ok("disconnect");
            var after = await daemon.RunDockerAsync(["run", "--rm", "--network", net, "busybox", "sh", "-c", "echo | nc -w 2 10.199.77.50 80; nslookup svc >/dev/null 2>&1 && echo resolved"]);
            Assert.DoesNotContain("hello-from-server", after.Stdout);
            Assert.DoesNotContain("resolved", after.Stdout);
            var links = (await daemon.RunDockerAsync(["exec", web, "ls", "/sys/class/net"])).Ok("exec ls").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(["eth0", "lo"], links.Order().ToArray());
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(web);
            await NetTest.RemoveNetworkQuietlyAsync(daemon, net);
        }
    }
}
