using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Network;

/// <summary>
/// Published ports seen from containers: a container reaches its own and its peers' published ports through the
/// host's address and its gateway; containers on other networks reach them through the host's addresses too (Docker
/// allows it), but not the container's address directly, and an internal network reaches nothing.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class HairpinTests(DaemonFixture daemon)
{
    private const string Server = "mkdir -p /www && echo hairpin-ok > /www/index.html && httpd -f -p 80 -h /www";

    [RootFact(E2E.Docker)]
    public async Task PublishedPort_ReachableFromContainers_ThroughHostAndGatewayAddresses()
    {
        var serverNet = NetTest.Name("hps");
        var clientNet = NetTest.Name("hpc");
        var internalNet = NetTest.Name("hpi");
        var web = NetTest.Name("web");
        await NetTest.CreateNetworkAsync(daemon, serverNet);
        await NetTest.CreateNetworkAsync(daemon, clientNet);
        await NetTest.CreateNetworkAsync(daemon, internalNet, "--internal");
        var port = NetTest.FreePort();
        var host = NetTest.HostAddress(daemon);
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", web, "--network", serverNet, "-p", $"{port}:80", "busybox", "sh", "-c", Server])).Ok("run server");
            var serverGw = await NetTest.GatewayAsync(daemon, serverNet);
            var clientGw = await NetTest.GatewayAsync(daemon, clientNet);
            var internalGw = await NetTest.GatewayAsync(daemon, internalNet);
            var bridgeGw = daemon.BridgeCidr.Split('/')[0];
            var webIp = (await daemon.RunDockerAsync(["inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{serverNet}\").IPAddress}}}}", web])).Ok("inspect").Stdout.Trim();

            // Its own port, from inside (hairpin through the host's address and through its gateway).
            await E2E.EventuallyAsync(() => daemon.RunDockerAsync(["exec", web, "sh", "-c", Fetch(host, port, "self-host") + Fetch(serverGw, port, "self-gw")]),
                r => r.Stdout.Contains("self-host=hairpin-ok", StringComparison.Ordinal) && r.Stdout.Contains("self-gw=hairpin-ok", StringComparison.Ordinal),
                TimeSpan.FromSeconds(15), "own published port");

            // A peer on the same network, a container on another user network, one on the default bridge.
            var peer = await RunAsync(serverNet, Fetch(host, port, "host") + Fetch(serverGw, port, "gw"));
            Assert.Contains("host=hairpin-ok", peer);
            Assert.Contains("gw=hairpin-ok", peer);
            var other = await RunAsync(clientNet, Fetch(host, port, "host") + Fetch(clientGw, port, "gw") + Fetch(webIp, 80, "direct"));
            Assert.Contains("host=hairpin-ok", other);
            Assert.Contains("gw=hairpin-ok", other);
            Assert.DoesNotContain("direct=hairpin-ok", other); // the container's own address stays isolated
            var fromBridge = await RunAsync("bridge", Fetch(bridgeGw, port, "gw"));
            Assert.Contains("gw=hairpin-ok", fromBridge);

            // An internal network has no way out, not even to a published port.
            var inside = await RunAsync(internalNet, Fetch(internalGw, port, "gw") + Fetch(host, port, "host"));
            Assert.DoesNotContain("hairpin-ok", inside);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(web);
            foreach (var n in new[] { serverNet, clientNet, internalNet }) await NetTest.RemoveNetworkQuietlyAsync(daemon, n);
        }
    }

    // An HTTP GET by nc: the image's static busybox wget crashes in glibc's service lookup, nc does not need one.
    private static string Fetch(string address, int port, string label) =>
        $"echo {label}=$(printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 {address} {port} 2>&1 | tail -n 1); ";

    private async Task<string> RunAsync(string network, string script) =>
        (await daemon.RunDockerAsync(["run", "--rm", "--network", network, "busybox", "sh", "-c", script])).Ok("run client on " + network).Stdout;
}
