using System.Text.RegularExpressions;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Build;

/// <summary>
/// The classic builder's clean-up: <c>--rm</c> (default) removes each step's container once the step succeeds and keeps a failed
/// step's container for inspection; <c>--force-rm</c> removes that one too. <c>rmi</c> of a built image deletes the intermediate
/// images above it unless they are tagged, have another child, or <c>--no-prune</c> is given.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class BuildCleanupTests(DaemonFixture daemon)
{
    [RootFact]
    public async Task Build_Success_LeavesNoContainers()
    {
        await using var ctx = new BuildContext(daemon, "rm-ok");
        ctx.File("Dockerfile", $"FROM busybox\nRUN echo {Guid.NewGuid():N} > /a\nRUN cat /a\n");
        var before = await ContainersAsync();
        var build = (await ctx.DockerBuildAsync("-t", ctx.Tag("ok"))).Ok("build");
        Assert.Equal(2, Regex.Matches(build.Stdout, "Removed intermediate container").Count);
        Assert.Equal(before, await ContainersAsync());
    }

    [RootFact]
    public async Task Build_FailedRun_KeepsOnlyTheFailedContainerUnlessForceRm()
    {
        await using var ctx = new BuildContext(daemon, "rm-fail");
        ctx.File("Dockerfile", $"FROM busybox\nRUN echo {Guid.NewGuid():N} > /a\nRUN exit 3\n");
        var before = await ContainersAsync();
        var failed = await ctx.DockerBuildAsync("-t", ctx.Tag("f"));
        Assert.Equal(3, failed.ExitCode);
        var left = (await ContainersAsync()).Except(before).ToList();
        try
        {
            // Docker's --rm (the default) only removes containers of successful steps.
            var only = Assert.Single(left);
            Assert.Contains(only[..12], failed.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var c in left) await daemon.RemoveQuietlyAsync(c);
        }

        var forced = await ctx.DockerBuildAsync("--force-rm", "--no-cache", "-t", ctx.Tag("f"));
        Assert.Equal(3, forced.ExitCode);
        Assert.Equal(before, await ContainersAsync());
    }

    [RootFact]
    public async Task Rmi_BuiltImage_PrunesUntaggedParentsLikeDocker()
    {
        await using var ctx = new BuildContext(daemon, "rmi");
        var id = Guid.NewGuid().ToString("N");
        ctx.File("Dockerfile", $"FROM busybox\nENV X={id}\nRUN echo {id} > /id\nCMD [\"one\"]\n");
        var one = ctx.Tag("one");
        (await ctx.DockerBuildAsync("-t", one)).Ok("build one");
        var chain = await ParentsAsync(one);
        Assert.Equal(3, chain.Count);   // CMD image, RUN image, ENV image (then busybox, which is tagged)

        // A sibling built on the same RUN image keeps that image (and the ENV image) alive.
        ctx.File("Dockerfile", $"FROM busybox\nENV X={id}\nRUN echo {id} > /id\nCMD [\"two\"]\n");
        var two = ctx.Tag("two");
        (await ctx.DockerBuildAsync("-t", two)).Ok("build two");
        var rmiOne = (await daemon.RunDockerAsync(["rmi", one])).Ok("rmi one").Stdout;
        Assert.Single(Regex.Matches(rmiOne, "^Deleted: ", RegexOptions.Multiline));
        Assert.True(await ExistsAsync(chain[1]), "the shared RUN image must stay");

        // --no-prune deletes only the image itself.
        var twoChain = await ParentsAsync(two);
        var rmiNoPrune = (await daemon.RunDockerAsync(["rmi", "--no-prune", two])).Ok("rmi --no-prune").Stdout;
        Assert.Single(Regex.Matches(rmiNoPrune, "^Deleted: ", RegexOptions.Multiline));
        Assert.True(await ExistsAsync(twoChain[1]));

        // Without it, rmi deletes every untagged parent with no other child, up to the tagged base: here the two images
        // --no-prune left behind, then a fresh build's whole chain.
        var leftover = (await daemon.RunDockerAsync(["rmi", twoChain[1]])).Ok("rmi the RUN image").Stdout;
        Assert.Equal(2, Regex.Matches(leftover, "^Deleted: ", RegexOptions.Multiline).Count);
        Assert.False(await ExistsAsync(twoChain[2]));

        ctx.File("Dockerfile", $"FROM busybox\nENV X={id}-3\nRUN echo {id} > /id\nCMD [\"three\"]\n");
        var three = ctx.Tag("three");
        (await ctx.DockerBuildAsync("-t", three)).Ok("build three");
        var full = await ParentsAsync(three);
        var deleted = (await daemon.RunDockerAsync(["rmi", three])).Ok("rmi three").Stdout;
        Assert.Equal(3, Regex.Matches(deleted, "^Deleted: ", RegexOptions.Multiline).Count);
        foreach (var image in full) Assert.False(await ExistsAsync(image), image);
        Assert.True(await ExistsAsync("busybox"));
    }

    private async Task<List<string>> ContainersAsync() =>
        [.. (await daemon.RunDockerAsync(["ps", "-aq", "--no-trunc"])).Ok("ps").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];

    /// <summary>The image and its parents up to (not including) the first tagged one.</summary>
    private async Task<List<string>> ParentsAsync(string reference)
    {
        var result = new List<string>();
        var current = (await daemon.RunDockerAsync(["image", "inspect", "-f", "{{.Id}}", reference])).Ok("inspect").Stdout.Trim();
        while (current.Length > 0)
        {
            var info = (await daemon.RunDockerAsync(["image", "inspect", "-f", "{{len .RepoTags}} {{.Parent}}", current])).Ok("inspect").Stdout.Trim().Split(' ');
            if (info[0] != "0" && result.Count > 0) break;
            result.Add(current);
            current = info.Length > 1 ? info[1] : "";
        }
        return result;
    }

    private async Task<bool> ExistsAsync(string image) => (await daemon.RunDockerAsync(["image", "inspect", image])).ExitCode == 0;
}
