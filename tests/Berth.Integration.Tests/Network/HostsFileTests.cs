using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Network;

/// <summary>/etc/hosts as Docker keeps it: a line per network address (added on connect, removed on disconnect) and legacy links.</summary>
[Collection(DaemonCollection.Name)]
public sealed class HostsFileTests(DaemonFixture daemon)
{
    private const string Server = "while true; do echo hello-from-db | nc -l -p 80; done";

    [RootFact(E2E.Docker)]
    public async Task ConnectAndDisconnect_RunningContainer_UpdateItsHostsFile()
    {
        var net = NetTest.Name("hosts");
        var box = NetTest.Name("box");
        await NetTest.CreateNetworkAsync(daemon, net);
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", box, "--hostname", "boxhost", "busybox", "sleep", "60"])).Ok("run");
            var bridgeIp = (await daemon.RunDockerAsync(["inspect", "-f", "{{.NetworkSettings.IPAddress}}", box])).Ok("inspect").Stdout.Trim();
            Assert.EndsWith($"\n{bridgeIp}\tboxhost\n", await HostsAsync(box));

            (await daemon.RunDockerAsync(["network", "connect", net, box])).Ok("connect");
            var netIp = (await daemon.RunDockerAsync(["inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{net}\").IPAddress}}}}", box])).Ok("inspect").Stdout.Trim();
            Assert.EndsWith($"\n{bridgeIp}\tboxhost\n{netIp}\tboxhost\n", await HostsAsync(box));

            (await daemon.RunDockerAsync(["network", "disconnect", net, box])).Ok("disconnect");
            var after = await HostsAsync(box);
            Assert.EndsWith($"\n{bridgeIp}\tboxhost\n", after);
            Assert.DoesNotContain(netIp + "\t", after);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(box);
            await NetTest.RemoveNetworkQuietlyAsync(daemon, net);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task StartedOnTwoNetworks_HasALinePerAddress_WithItsDomain()
    {
        var a = NetTest.Name("ha");
        var box = NetTest.Name("box");
        await NetTest.CreateNetworkAsync(daemon, a);
        try
        {
            (await daemon.RunDockerAsync(["create", "--name", box, "--hostname", "web", "--domainname", "example.test", "--network", a, "busybox", "sleep", "60"])).Ok("create");
            (await daemon.RunDockerAsync(["network", "connect", "bridge", box])).Ok("connect while created");
            (await daemon.RunDockerAsync(["start", box])).Ok("start");
            var ipA = (await daemon.RunDockerAsync(["inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{a}\").IPAddress}}}}", box])).Ok("inspect").Stdout.Trim();
            var ipB = (await daemon.RunDockerAsync(["inspect", "-f", "{{.NetworkSettings.IPAddress}}", box])).Ok("inspect").Stdout.Trim();
            var hosts = await HostsAsync(box);
            Assert.Contains($"\n{ipA}\tweb.example.test web\n", hosts);
            Assert.Contains($"\n{ipB}\tweb.example.test web\n", hosts);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(box);
            await NetTest.RemoveNetworkQuietlyAsync(daemon, a);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task LegacyLink_OnDefaultBridge_AddsHostsEntry_AndReachesByAlias()
    {
        var db = NetTest.Name("db");
        var stopped = NetTest.Name("stopped");
        var parent = NetTest.Name("parent");
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", db, "--hostname", "dbhost", "busybox", "sh", "-c", Server])).Ok("run db");
            var ip = (await daemon.RunDockerAsync(["inspect", "-f", "{{.NetworkSettings.IPAddress}}", db])).Ok("inspect").Stdout.Trim();
            var r = await E2E.EventuallyAsync(
                () => daemon.RunDockerAsync(["run", "--rm", "--link", db + ":database", "--link", db, "busybox", "sh", "-c", "cat /etc/hosts; echo | nc -w 3 database 80"]),
                r => r.Stdout.Contains("hello-from-db", StringComparison.Ordinal), TimeSpan.FromSeconds(15), "reach by link alias");
            Assert.Contains($"\n{ip}\tdatabase dbhost {db}\n", r.Stdout);
            Assert.Contains($"\n{ip}\t{db} dbhost\n", r.Stdout); // alias == name: the name is not repeated

            (await daemon.RunDockerAsync(["create", "--name", stopped, "busybox", "true"])).Ok("create stopped");
            var bad = await daemon.RunDockerAsync(["run", "--name", parent, "--link", stopped + ":x", "busybox", "true"]);
            Assert.NotEqual(0, bad.ExitCode);
            Assert.Contains($"Cannot link to a non running container: /{stopped} AS /", bad.Stderr);
            var missing = await daemon.RunDockerAsync(["create", "--link", "no-such-container-xyz:x", "busybox", "true"]);
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("could not get container for no-such-container-xyz", missing.Stderr);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(db);
            await daemon.RemoveQuietlyAsync(stopped);
            await daemon.RemoveQuietlyAsync(parent);
        }
    }

    private async Task<string> HostsAsync(string container) =>
        (await daemon.RunDockerAsync(["exec", container, "cat", "/etc/hosts"])).Ok("cat /etc/hosts").Stdout;
}
