using Berth.Api.Models.Containers;
using Berth.Core.Errors;
using Berth.Services.Images;

namespace Berth.Tests.Services.Images;

public sealed class CommitChangesTests
{
    [Fact]
    public void Merge_ChangesOverrideContainerConfig_RestInherited()
    {
        var container = new ContainerConfig { Cmd = ["sh"], Env = ["PATH=/bin", "A=1"], WorkingDir = "/w", Labels = new() { ["x"] = "1" } };
        var merged = ImageCommitService.MergeConfig(container, null, ["CMD [\"cat\", \"/f\"]", "ENV A=2 B=\"two words\"", "LABEL y=2", "EXPOSE 80", "USER nobody"]);
        Assert.Equal(["cat", "/f"], merged.Cmd);
        Assert.Equal(["PATH=/bin", "A=2", "B=two words"], merged.Env);
        Assert.Equal("/w", merged.WorkingDir);
        Assert.Equal("nobody", merged.User);
        Assert.Equal("1", merged.Labels!["x"]);
        Assert.Equal("2", merged.Labels!["y"]);
        Assert.True(merged.ExposedPorts!.ContainsKey("80/tcp"));
        Assert.Equal(["sh"], container.Cmd);   // the container's own config is not touched
    }

    [Fact]
    public void Merge_ShellFormCmd_WrappedInSh()
    {
        var merged = ImageCommitService.MergeConfig(new ContainerConfig(), null, ["CMD echo hi"]);
        Assert.Equal(["/bin/sh", "-c", "echo hi"], merged.Cmd);
    }

    [Fact]
    public void Merge_UnknownInstruction_InvalidArgument()
        => Assert.Throws<InvalidArgumentException>(() => ImageCommitService.MergeConfig(new ContainerConfig(), null, ["RUN echo"]));
}
