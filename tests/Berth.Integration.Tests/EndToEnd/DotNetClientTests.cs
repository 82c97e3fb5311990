using Berth.Integration.Tests.Support;
using Docker.DotNet;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;

namespace Berth.Integration.Tests.EndToEnd;

/// <summary>
/// .NET's Docker clients against berthd, unchanged: Docker.DotNet (the Enhanced fork Testcontainers ships) and
/// Testcontainers itself. Their strict typed models are what caught a null GwPriority that the docker CLI ignores.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class DotNetClientTests(DaemonFixture daemon)
{
    [RootFact]
    public async Task Testcontainers_StartsWaitsExecsReadsLogsAndRemoves()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // No resource reaper: its image lives on Docker Hub, out of reach; DisposeAsync removes the container.
        TestcontainersSettings.ResourceReaperEnabled = false;
        var container = new ContainerBuilder("busybox:latest")
            .WithDockerEndpoint(daemon.DockerHost)
            .WithName(E2E.UniqueName("tc"))
            .WithCommand("sh", "-c", "echo ready; exec sleep 60")
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("ready"))
            .Build();
        string id;
        try
        {
            await container.StartAsync(cts.Token);
            id = container.Id;
            var exec = await container.ExecAsync(["sh", "-c", "echo from exec; exit 5"], cts.Token);
            Assert.Equal((5L, "from exec\n"), (exec.ExitCode, exec.Stdout));
            var (stdout, _) = await container.GetLogsAsync(timestampsEnabled: false, ct: cts.Token);
            Assert.Equal("ready\n", stdout);
        }
        finally
        {
            await container.DisposeAsync();
        }
        var ps = (await daemon.RunDockerAsync(["ps", "-aq", "--no-trunc"])).Ok("ps");
        Assert.DoesNotContain(id, ps.Stdout, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task DockerDotNet_CreateStartWaitInspectLogsRemove()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var client = new DockerClientBuilder().WithEndpoint(new Uri(daemon.DockerHost)).Build();
        var version = await client.System.GetVersionAsync(cts.Token);
        Assert.Equal("1.50", version.APIVersion);

        var name = E2E.UniqueName("dnet");
        var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Image = "busybox",
            Cmd = ["sh", "-c", "echo out; echo err >&2; exit 3"],
            Labels = new Dictionary<string, string> { ["it"] = "dotnet" },
        }, cts.Token);
        try
        {
            await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cts.Token);
            var wait = await client.Containers.WaitContainerAsync(created.ID, cts.Token);
            Assert.Equal(3, wait.StatusCode);

            var inspect = await client.Containers.InspectContainerAsync(created.ID, cts.Token);
            Assert.Equal(("/" + name, "exited", 3L), (inspect.Name, inspect.State!.Status, inspect.State.ExitCode));
            Assert.Equal("dotnet", inspect.Config!.Labels["it"]);

            var listed = await client.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { ["it=dotnet"] = true } },
            }, cts.Token);
            Assert.Contains(listed, c => c.ID == created.ID);

            using var logs = await client.Containers.GetContainerLogsAsync(created.ID,
                new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, cts.Token);
            var (stdout, stderr) = await logs.ReadOutputToEndAsync(cts.Token);
            Assert.Equal(("out\n", "err\n"), (stdout, stderr));
        }
        finally
        {
            await client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        }
        await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => client.Containers.InspectContainerAsync(created.ID, CancellationToken.None));
    }
}
