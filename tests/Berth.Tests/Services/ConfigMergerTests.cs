using Berth.Api.Models.Containers;
using Berth.Services.Containers;

namespace Berth.Tests.Services;

public sealed class ConfigMergerTests
{
    private static ContainerConfig Image() => new()
    {
        Entrypoint = ["/entry"], Cmd = ["serve"], Env = ["PATH=/bin", "A=image"], WorkingDir = "/app", User = "app",
        Labels = new() { ["from"] = "image" },
    };

    [Fact]
    public void Merge_NothingGiven_InheritsImageDefaults()
    {
        var merged = ConfigMerger.Merge(new ContainerConfig(), Image());
        Assert.Equal(["/entry"], merged.Entrypoint);
        Assert.Equal(["serve"], merged.Cmd);
        Assert.Equal("/app", merged.WorkingDir);
        Assert.Equal("app", merged.User);
    }

    [Fact]
    public void Merge_EmptyEntrypoint_ClearsImageEntrypointAndCommand()
    {
        var merged = ConfigMerger.Merge(new ContainerConfig { Entrypoint = [""], Cmd = ["sh"] }, Image());
        Assert.Null(merged.Entrypoint);
        Assert.Equal(["sh"], merged.Cmd);
    }

    [Fact]
    public void Merge_NewEntrypoint_DoesNotInheritImageCommand()
    {
        var merged = ConfigMerger.Merge(new ContainerConfig { Entrypoint = ["/other"] }, Image());
        Assert.Equal(["/other"], merged.Entrypoint);
        Assert.Null(merged.Cmd);
    }

    [Fact]
    public void MergeEnv_UserOverridesByKey_KeepsOrder()
    {
        var env = ConfigMerger.MergeEnv(["PATH=/bin", "A=image"], ["A=user", "B=2"]);
        Assert.Equal(["PATH=/bin", "A=user", "B=2"], env);
    }

    [Fact]
    public void MergeEnv_NoPath_AddsDockersDefault() =>
        Assert.StartsWith("PATH=/usr/local/sbin", ConfigMerger.MergeEnv(null, ["X=1"])[0]);

    [Fact]
    public void PathAndArgs_SplitsEntrypointAndCmd()
    {
        var (path, args) = ConfigMerger.PathAndArgs(new ContainerConfig { Entrypoint = ["sh", "-c"], Cmd = ["echo hi"] });
        Assert.Equal("sh", path);
        Assert.Equal(["-c", "echo hi"], args);
    }
}
