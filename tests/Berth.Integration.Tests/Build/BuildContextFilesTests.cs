using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Build;

/// <summary>What the daemon does with the context the client sent before the steps see it (moby remotecontext/detect.go).</summary>
[Collection(DaemonCollection.Name)]
public sealed class BuildContextFilesTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker)]
    public async Task IgnoredDockerfileAndDockerignore_AreTakenOutAfterReading()
    {
        await using var ctx = new BuildContext(daemon, "ignctx");
        ctx.File("Dockerfile", "FROM busybox\nCOPY . /app/\nCMD [\"ls\", \"-A\", \"/app\"]\n")
            .File(".dockerignore", "Dockerfile\n.dockerignore\n")
            .File("kept.txt", "k\n");
        var tag = ctx.Tag("i");
        (await ctx.DockerBuildAsync("-t", tag)).Ok("build");
        Assert.Equal("kept.txt\n", (await daemon.RunDockerAsync(["run", "--rm", tag])).Ok("run").Stdout);
    }
}
