using System.Text.RegularExpressions;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Network;

/// <summary>
/// A name shared by several containers on one network (Compose replicas behind a service alias): the embedded DNS
/// answers every address, rotates their order, and drops a container the moment it is removed or disconnected.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed partial class ServiceAliasTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker)]
    public async Task SharedAlias_AnswersAllReplicas_RotatesThem_AndDropsRemovedOnesAtOnce()
    {
        var net = NetTest.Name("svc");
        var replicas = Enumerable.Range(1, 3).Select(i => NetTest.Name("api" + i)).ToArray();
        await NetTest.CreateNetworkAsync(daemon, net);
        try
        {
            for (var i = 0; i < replicas.Length; i++)
            {
                var server = $"while true; do echo reply-from-{i + 1} | nc -l -p 80; done";
                (await daemon.RunDockerAsync(["run", "-d", "--name", replicas[i], "--network", net, "--network-alias", "api", "busybox", "sh", "-c", server])).Ok("run replica");
            }
            var ips = new List<string>();
            foreach (var r in replicas) ips.Add((await daemon.RunDockerAsync(["inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{net}\").IPAddress}}}}", r])).Ok("inspect").Stdout.Trim());

            // Every lookup answers the three addresses and the first one changes from lookup to lookup (glibc's
            // getaddrinfo then sorts them by prefix match anyway, so `nc api` itself may well always pick one), and
            // each answered address is a replica that answers.
            var script = "for i in 1 2 3 4 5 6; do echo '== lookup'; nslookup -type=a api; done; " +
                         "echo '== traffic'; for a in $(nslookup -type=a api | sed -n 's/^Address: //p'); do echo | nc -w 3 $a 80; done";
            var result = await E2E.EventuallyAsync(() => daemon.RunDockerAsync(["run", "--rm", "--network", net, "busybox", "sh", "-c", script]),
                r => Regex.Matches(r.Stdout, "reply-from-").Count == 3, TimeSpan.FromSeconds(15), "replicas answering");
            var traffic = result.Stdout[result.Stdout.IndexOf("== traffic", StringComparison.Ordinal)..];
            var lookups = result.Stdout[..result.Stdout.IndexOf("== traffic", StringComparison.Ordinal)].Split("== lookup")[1..];
            Assert.Equal(6, lookups.Length);
            var firsts = new HashSet<string>();
            foreach (var l in lookups)
            {
                var answered = Addresses(l);
                Assert.Equal(ips.Order(), answered.Order());
                firsts.Add(answered[0]);
            }
            Assert.True(firsts.Count >= 2, $"the first address never changed: {string.Join(", ", firsts)}");
            Assert.Equal(["reply-from-1", "reply-from-2", "reply-from-3"], Regex.Matches(traffic, "reply-from-[0-9]").Select(m => m.Value).Order());

            // Removed: gone from the very next answer. Disconnected: the same.
            (await daemon.RunDockerAsync(["rm", "-f", replicas[0]])).Ok("rm replica 1");
            var afterRm = (await daemon.RunDockerAsync(["run", "--rm", "--network", net, "busybox", "nslookup", "-type=a", "api"])).Ok("lookup after rm");
            Assert.Equal(ips.Skip(1).Order(), Addresses(afterRm.Stdout).Order());
            (await daemon.RunDockerAsync(["network", "disconnect", net, replicas[1]])).Ok("disconnect replica 2");
            var afterDisconnect = (await daemon.RunDockerAsync(["run", "--rm", "--network", net, "busybox", "nslookup", "-type=a", "api"])).Ok("lookup after disconnect");
            Assert.Equal([ips[2]], Addresses(afterDisconnect.Stdout));
        }
        finally
        {
            foreach (var r in replicas) await daemon.RemoveQuietlyAsync(r);
            await NetTest.RemoveNetworkQuietlyAsync(daemon, net);
        }
    }

    /// <summary>The record addresses of one busybox nslookup output ("Address: a.b.c.d"; the server line has a tab).</summary>
    private static List<string> Addresses(string output) => [.. AddressLine().Matches(output).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"^Address: ([0-9.]+)$", RegexOptions.Multiline)]
    private static partial Regex AddressLine();
}
