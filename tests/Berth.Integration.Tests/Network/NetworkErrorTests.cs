using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Network;

/// <summary>Bad input gets Docker's words and leaves nothing half-created.</summary>
[Collection(DaemonCollection.Name)]
public sealed class NetworkErrorTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker)]
    public async Task Ipv6Network_IsRefusedWithDockersPoolError_AndNothingCreated()
    {
        var name = NetTest.Name("v6");
        var before = (await daemon.RunDockerAsync(["network", "ls", "-q"])).Ok("ls").Stdout;
        var r = await daemon.RunDockerAsync(["network", "create", "--ipv6", name]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network", r.Stderr);
        var withSubnet = await daemon.RunDockerAsync(["network", "create", "--ipv6", "--subnet", "fd00:beef::/64", name]);
        Assert.NotEqual(0, withSubnet.ExitCode);
        Assert.Contains("IPv6 subnets are not supported", withSubnet.Stderr);
        Assert.Equal(before, (await daemon.RunDockerAsync(["network", "ls", "-q"])).Ok("ls").Stdout);
    }

    [RootFact(E2E.Docker)]
    public async Task OverlappingSubnet_DuplicateName_UnknownNetwork_PredefinedRemoval()
    {
        var a = NetTest.Name("ovl");
        var b = NetTest.Name("ovl");
        await NetTest.CreateNetworkAsync(daemon, a, "--subnet", "10.198.0.0/16");
        try
        {
            var before = (await daemon.RunDockerAsync(["network", "ls", "-q"])).Ok("ls").Stdout;
            var overlap = await daemon.RunDockerAsync(["network", "create", "--subnet", "10.198.5.0/24", b]);
            Assert.NotEqual(0, overlap.ExitCode);
            Assert.Contains("Pool overlaps with other one on this address space", overlap.Stderr);
            var dup = await daemon.RunDockerAsync(["network", "create", a]);
            Assert.Contains($"network with name {a} already exists", dup.Stderr);
            Assert.Equal(before, (await daemon.RunDockerAsync(["network", "ls", "-q"])).Ok("ls").Stdout);

            var unknown = await daemon.RunDockerAsync(["run", "--rm", "--network", "no-such-net-x", "busybox", "true"]);
            Assert.NotEqual(0, unknown.ExitCode);
            Assert.Contains("network no-such-net-x not found", unknown.Stderr);
            Assert.DoesNotContain("Unable to find image", unknown.Stderr);

            var rmBridge = await daemon.RunDockerAsync(["network", "rm", "bridge"]);
            Assert.Contains("bridge is a pre-defined network and cannot be removed", rmBridge.Stderr);
        }
        finally
        {
            await NetTest.RemoveNetworkQuietlyAsync(daemon, a);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task UnknownNetwork_EveryCommandSaysNotFound_AndRunCreatesNoContainer()
    {
        var missing = NetTest.Name("nonet");
        var box = NetTest.Name("box");
        try
        {
            foreach (var args in new[] { new[] { "network", "rm", missing }, ["network", "inspect", missing], ["network", "connect", missing, "bridge"], ["network", "disconnect", missing, "bridge"] })
            {
                var r = await daemon.RunDockerAsync(args);
                Assert.NotEqual(0, r.ExitCode);
                Assert.Contains($"network {missing} not found", r.Stderr);
            }
            using (var http = daemon.CreateApiClient())
            {
                using var response = await http.DeleteAsync($"/v1.47/networks/{missing}");
                Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
                Assert.Equal($"{{\"message\":\"network {missing} not found\"}}", (await response.Content.ReadAsStringAsync()).Trim());
            }

            var run = await daemon.RunDockerAsync(["run", "--name", box, "--network", missing, "busybox", "true"]);
            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains($"network {missing} not found", run.Stderr);
            // Nothing half-created: no container by that name, so the name is free again.
            Assert.Equal("", (await daemon.RunDockerAsync(["ps", "-a", "-q", "--filter", "name=^/" + box + "$"])).Ok("ps -a").Stdout.Trim());
            (await daemon.RunDockerAsync(["create", "--name", box, "busybox", "true"])).Ok("the name is free");

            var connect = await daemon.RunDockerAsync(["network", "connect", "bridge", "no-such-container-" + missing]);
            Assert.Contains("No such container: no-such-container-" + missing, connect.Stderr);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(box);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task RemoveNetworkInUse_IsRefused_UntilTheContainerStops()
    {
        var net = NetTest.Name("use");
        var c = NetTest.Name("c");
        await NetTest.CreateNetworkAsync(daemon, net);
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", c, "--network", net, "busybox", "sleep", "1000"])).Ok("run");
            var endpoint = (await daemon.RunDockerAsync(["inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{net}\").EndpointID}}}}", c])).Ok("inspect").Stdout.Trim();
            var rm = await daemon.RunDockerAsync(["network", "rm", net]);
            Assert.NotEqual(0, rm.ExitCode);
            // moby 28.2+ names each endpoint by container name and short endpoint id.
            Assert.Contains($"Error response from daemon: error while removing network: network {net} has active endpoints (name:\"{c}\" id:\"{endpoint[..12]}\")", rm.Stderr);
            Assert.Contains(net, (await daemon.RunDockerAsync(["network", "ls", "--format", "{{.Name}}"])).Ok("ls").Stdout);
            (await daemon.RunDockerAsync(["rm", "-f", c])).Ok("rm container");
            (await daemon.RunDockerAsync(["network", "rm", net])).Ok("rm network");
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(c);
            await NetTest.RemoveNetworkQuietlyAsync(daemon, net);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task PortInUse_FailsTheStart_AndLeavesNoRuleOrVeth()
    {
        var port = NetTest.FreePort();
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, port);
        holder.Start();
        var name = NetTest.Name("busy");
        var vethsBefore = NetworkCleaner.Links("veth");
        try
        {
            var r = await daemon.RunDockerAsync(["run", "-d", "--name", name, "-p", $"{port}:80", "busybox", "sleep", "1000"]);
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains($"failed to bind host port for 0.0.0.0:{port}", r.Stderr);
            Assert.Contains("address already in use", r.Stderr);
            Assert.Empty(await NetTest.NatRulesAsync(daemon, port));
            Assert.Equal("false\n", (await daemon.RunDockerAsync(["inspect", "-f", "{{.State.Running}}", name])).Ok("inspect").Stdout);
            Assert.Empty(NetworkCleaner.Links("veth").Except(vethsBefore));
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }
}
