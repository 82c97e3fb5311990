using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Network;

/// <summary>
/// <c>--link</c> as Docker has it: on a user-defined network an alias that only the linking container's embedded DNS
/// answers (no /etc/hosts line); on the default bridge an /etc/hosts line that follows the linked container to its
/// new address when it starts again.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class LinkTests(DaemonFixture daemon)
{
    private const string Server = "while true; do echo hello-from-web | nc -l -p 80; done";

    [RootFact(E2E.Docker)]
    public async Task LinkOnUserNetwork_IsADnsAliasForTheLinkingContainerOnly()
    {
        var net = NetTest.Name("lnk");
        var web = NetTest.Name("web");
        var client = NetTest.Name("client");
        var dangling = NetTest.Name("dangling");
        await NetTest.CreateNetworkAsync(daemon, net);
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", web, "--network", net, "busybox", "sh", "-c", Server])).Ok("run web");
            var ip = (await daemon.RunDockerAsync(["inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{net}\").IPAddress}}}}", web])).Ok("inspect web").Stdout.Trim();
            (await daemon.RunDockerAsync(["run", "-d", "--name", client, "--network", net, "--link", web + ":db", "busybox", "sleep", "120"])).Ok("run client");

            var reached = await E2E.EventuallyAsync(() => daemon.RunDockerAsync(["exec", client, "sh", "-c", $"echo | nc -w 3 db 80; echo | nc -w 3 db.{net} 80"]),
                r => r.Stdout.Split("hello-from-web").Length == 3, TimeSpan.FromSeconds(15), "the link alias answering, bare and with the network's name");
            Assert.Equal(0, reached.ExitCode);
            var lookup = (await daemon.RunDockerAsync(["exec", client, "nslookup", "db"])).Ok("nslookup db in the linking container").Stdout;
            Assert.Contains("Address: " + ip + "\n", lookup, StringComparison.Ordinal);
            var hosts = (await daemon.RunDockerAsync(["exec", client, "cat", "/etc/hosts"])).Ok("cat /etc/hosts").Stdout;
            Assert.DoesNotContain(ip + "\t", hosts);   // no /etc/hosts line on a user network: DNS only
            Assert.Equal($"[{web}:db]", (await daemon.RunDockerAsync(["inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{net}\").Links}}}}", client])).Ok("inspect links").Stdout.Trim());

            // Another container on the same network does not know the alias; the linked container's own name still works.
            var other = await daemon.RunDockerAsync(["run", "--rm", "--network", net, "busybox", "sh", "-c", $"nslookup db; echo ==; echo | nc -w 3 {web} 80"]);
            Assert.DoesNotContain("Address: " + ip + "\n", other.Stdout.Split("==")[0], StringComparison.Ordinal);
            Assert.Contains("hello-from-web", other.Stdout);

            // As in moby, a link on a user network names nothing the daemon checks: a missing container is no error.
            (await daemon.RunDockerAsync(["create", "--name", dangling, "--network", net, "--link", "no-such-container-xyz:x", "busybox", "true"])).Ok("create with a dangling link");
        }
        finally
        {
            foreach (var c in new[] { client, dangling, web }) await daemon.RemoveQuietlyAsync(c);
            await NetTest.RemoveNetworkQuietlyAsync(daemon, net);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task LegacyLink_LinkedContainerRestartsWithAnotherAddress_ParentsHostsLineFollows()
    {
        var db = NetTest.Name("db");
        var parent = NetTest.Name("parent");
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", db, "--hostname", "dbhost", "busybox", "sh", "-c", Server])).Ok("run db");
            var before = await BridgeIpAsync(db);
            (await daemon.RunDockerAsync(["run", "-d", "--name", parent, "--link", db + ":database", "busybox", "sleep", "120"])).Ok("run parent");
            Assert.Contains($"\n{before}\tdatabase dbhost {db}\n", await HostsAsync(parent));

            (await daemon.RunDockerAsync(["stop", "-t", "1", db])).Ok("stop db");
            (await daemon.RunDockerAsync(["start", db])).Ok("start db");
            var after = await BridgeIpAsync(db);
            Assert.NotEqual(before, after);   // the address allocator moves on, so the linked container comes back elsewhere

            var hosts = await HostsAsync(parent);
            Assert.Contains($"\n{after}\tdatabase dbhost {db}\n", hosts);
            Assert.DoesNotContain(before + "\t", hosts);
            await E2E.EventuallyAsync(() => daemon.RunDockerAsync(["exec", parent, "sh", "-c", "echo | nc -w 3 database 80"]),
                r => r.Stdout.Contains("hello-from-web", StringComparison.Ordinal), TimeSpan.FromSeconds(15), "the parent reaching the restarted db by its link alias");
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(parent);
            await daemon.RemoveQuietlyAsync(db);
        }
    }

    private async Task<string> BridgeIpAsync(string container) =>
        (await daemon.RunDockerAsync(["inspect", "-f", "{{.NetworkSettings.IPAddress}}", container])).Ok("inspect").Stdout.Trim();

    private async Task<string> HostsAsync(string container) =>
        (await daemon.RunDockerAsync(["exec", container, "cat", "/etc/hosts"])).Ok("cat /etc/hosts").Stdout;
}
