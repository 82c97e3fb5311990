using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Network;

/// <summary>
/// Every host object a container's networking makes is gone once the container and its network are removed: each
/// host-side veth (looked up by name while it ran), the container's network namespace (by inode: no process and no
/// mount holds it), the user network's bridge, and every NAT and filter rule naming its ports, addresses or bridge.
/// Only what this test made is looked at, so other daemons on the machine do not disturb it.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class NetworkTeardownTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker)]
    public async Task ContainersAndNetworkRemoved_LeaveNoVethNamespaceBridgeOrRule()
    {
        var net = NetTest.Name("tdn");
        var onNet = NetTest.Name("onnet");
        var onBridge = NetTest.Name("onbr");
        var netPort = NetTest.FreePort();
        var bridgePort = NetTest.FreePort();
        var id = await NetTest.CreateNetworkAsync(daemon, net);
        var bridge = "br-" + id[..12];
        var subnet = (await daemon.RunDockerAsync(["network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", net])).Ok("network inspect").Stdout.Trim();
        var portsBefore = Ports(daemon.BridgeName);
        var veths = new List<string>();
        var namespaces = new List<string>();
        var addresses = new List<string>();
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", onNet, "--network", net, "-p", $"127.0.0.1:{netPort}:80", "busybox", "sleep", "300"])).Ok("run on the network");
            (await daemon.RunDockerAsync(["run", "-d", "--name", onBridge, "-p", $"{bridgePort}:80/udp", "busybox", "sleep", "300"])).Ok("run on the default bridge");
            (await daemon.RunDockerAsync(["network", "connect", net, onBridge])).Ok("connect a second network");
            foreach (var c in new[] { onNet, onBridge })
            {
                var pid = int.Parse((await daemon.RunDockerAsync(["inspect", "-f", "{{.State.Pid}}", c])).Ok("inspect pid").Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
                namespaces.Add(NetnsInode(pid));
                var ips = (await daemon.RunDockerAsync(["inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", c])).Ok("inspect ips").Stdout;
                addresses.AddRange(ips.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
            veths.AddRange(Ports(bridge).Concat(Ports(daemon.BridgeName).Except(portsBefore)).Where(p => p.StartsWith("veth", StringComparison.Ordinal)));
            // At least one per attachment (onNet and onBridge on the network, onBridge on the default bridge); every one seen must go.
            Assert.True(veths.Count >= 3, "veths: " + string.Join(", ", veths));
            Assert.True(addresses.Distinct().Count() >= 3, "addresses: " + string.Join(", ", addresses));
            Assert.NotEmpty(await NetTest.NatRulesAsync(daemon, netPort));
            Assert.NotEmpty(await NetTest.NatRulesAsync(daemon, bridgePort));
            Assert.Contains(await RulesAsync(), r => r.Contains(bridge, StringComparison.Ordinal));

            (await daemon.RunDockerAsync(["network", "disconnect", net, onBridge])).Ok("disconnect");
            (await daemon.RunDockerAsync(["stop", "-t", "1", onNet])).Ok("stop");
            (await daemon.RunDockerAsync(["rm", "-f", onNet, onBridge])).Ok("rm");
            (await daemon.RunDockerAsync(["network", "rm", net])).Ok("network rm");

            Assert.DoesNotContain(veths, v => Directory.Exists("/sys/class/net/" + v));
            Assert.False(Directory.Exists("/sys/class/net/" + bridge), $"bridge {bridge} outlived its network");
            foreach (var ns in namespaces) Assert.Empty(NamespaceHolders(ns));
            Assert.Empty(await NetTest.NatRulesAsync(daemon, netPort));
            Assert.Empty(await NetTest.NatRulesAsync(daemon, bridgePort));
            var left = (await RulesAsync()).Where(r => r.Contains(bridge, StringComparison.Ordinal) || r.Contains(subnet, StringComparison.Ordinal) ||
                addresses.Any(a => r.Contains(a + "/", StringComparison.Ordinal) || r.Contains(a + ":", StringComparison.Ordinal) || r.EndsWith(a, StringComparison.Ordinal))).ToList();
            Assert.True(left.Count == 0, "rules outlived their containers and network:\n" + string.Join('\n', left));
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(onNet);
            await daemon.RemoveQuietlyAsync(onBridge);
            await NetTest.RemoveNetworkQuietlyAsync(daemon, net);
        }
    }

    /// <summary>The host-side interfaces enslaved to a bridge.</summary>
    private static List<string> Ports(string bridge)
    {
        var dir = $"/sys/class/net/{bridge}/brif";
        return Directory.Exists(dir) ? [.. Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).OfType<string>()] : [];
    }

    /// <summary>"net:[inode]" of a process's network namespace.</summary>
    private static string NetnsInode(int pid) => new FileInfo($"/proc/{pid}/ns/net").LinkTarget ?? throw new InvalidOperationException($"no netns link for {pid}");

    /// <summary>Processes in, and nsfs mounts of, the namespace: it lives as long as either holds it.</summary>
    private static List<string> NamespaceHolders(string ns)
    {
        var holders = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (new FileInfo(Path.Join(dir, "ns", "net")).LinkTarget == ns) holders.Add($"process {pid}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { } // the process went away meanwhile
        }
        var inode = ns["net:[".Length..^1];
        holders.AddRange(File.ReadLines("/proc/self/mountinfo").Where(l => l.Contains($"net:[{inode}]", StringComparison.Ordinal)).Select(l => "mount " + l));
        return holders;
    }

    /// <summary>Every iptables rule of the nat and filter tables (-S form).</summary>
    private static async Task<List<string>> RulesAsync()
    {
        var rules = new List<string>();
        foreach (var table in new[] { "nat", "filter" })
        {
            var r = await ProcessRunner.RunAsync("iptables", ["-w", "-t", table, "-S"], timeout: TimeSpan.FromSeconds(20));
            Assert.True(r.ExitCode == 0, $"iptables -t {table} -S: {r.Stderr}");
            rules.AddRange(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        return rules;
    }
}
