using System.Text;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Network;

/// <summary>The default bridge has no embedded DNS and no network-scoped aliases, as in Docker; user networks have both.</summary>
[Collection(DaemonCollection.Name)]
public sealed class DefaultBridgeTests(DaemonFixture daemon)
{
    private const string Alias = "network-scoped alias is supported only for containers in user defined networks";

    [RootFact(E2E.Docker)]
    public async Task DefaultBridge_DoesNotResolveContainerNames_ButAddressesWork()
    {
        var web = NetTest.Name("web");
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", web, "busybox", "sh", "-c", "while true; do echo hello-bridge | nc -l -p 80; done"])).Ok("run");
            var ip = (await daemon.RunDockerAsync(["inspect", "-f", "{{.NetworkSettings.IPAddress}}", web])).Ok("inspect").Stdout.Trim();
            var r = await E2E.EventuallyAsync(() => daemon.RunDockerAsync(["run", "--rm", "busybox", "sh", "-c",
                    $"cat /etc/resolv.conf; grep -c {web} /etc/hosts; nslookup {web} 127.0.0.11 >/dev/null 2>&1 && echo embedded-dns; echo | nc -w 3 {ip} 80"]),
                r => r.Stdout.Contains("hello-bridge", StringComparison.Ordinal), TimeSpan.FromSeconds(15), "reach by address");
            Assert.DoesNotContain("127.0.0.11", r.Stdout);
            Assert.DoesNotContain("embedded-dns", r.Stdout);
            Assert.Contains("\n0\n", r.Stdout); // no hosts line for the other container
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(web);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task NetworkAlias_OnDefaultBridge_IsRefusedWithDockersError()
    {
        var box = NetTest.Name("box");
        var net = NetTest.Name("ua");
        await NetTest.CreateNetworkAsync(daemon, net);
        try
        {
            // The CLI checks `run --network-alias` itself, so the daemon's own check is asked through the API.
            using var http = daemon.CreateApiClient(TimeSpan.FromSeconds(30));
            var body = """{"Image":"busybox","Cmd":["true"],"HostConfig":{"NetworkMode":"bridge"},"NetworkingConfig":{"EndpointsConfig":{"bridge":{"Aliases":["x"]}}}}""";
            using var response = await http.PostAsync($"/containers/create?name={box}", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(400, (int)response.StatusCode);
            Assert.Contains(Alias, await response.Content.ReadAsStringAsync());

            (await daemon.RunDockerAsync(["run", "-d", "--name", box, "--network", net, "busybox", "sleep", "30"])).Ok("run");
            var connect = await daemon.RunDockerAsync(["network", "connect", "--alias", "y", "bridge", box]);
            Assert.NotEqual(0, connect.ExitCode);
            Assert.Contains(Alias, connect.Stderr);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(box);
            await NetTest.RemoveNetworkQuietlyAsync(daemon, net);
        }
    }
}
