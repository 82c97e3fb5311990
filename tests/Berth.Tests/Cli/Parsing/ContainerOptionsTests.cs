using Berth.Cli.Commands;
using Berth.Cli.Parsing;

namespace Berth.Tests.Cli.Parsing;

public sealed class ContainerOptionsTests
{
    private static Berth.Api.Models.Containers.ContainerCreateRequest Build(params string[] args) =>
        ContainerOptions.Build(ArgParser.Parse(args, ContainerOptions.Specs, true), k => k == "HOME" ? "/root" : null, (24, 80));

    [Fact]
    public void Build_InteractiveTty_SetsStdinFlagsLikeDocker()
    {
        var r = Build("-it", "--rm", "busybox", "sh");
        Assert.True(r.AttachStdin && r.OpenStdin && r.StdinOnce && r.Tty && r.AttachStdout && r.AttachStderr);
        Assert.True(r.HostConfig!.AutoRemove);
        Assert.Equal([24, 80], r.HostConfig.ConsoleSize);
        Assert.Equal(["sh"], r.Cmd);
        Assert.Equal("default", r.HostConfig.NetworkMode);
        Assert.Equal("no", r.HostConfig.RestartPolicy!.Name);
    }

    [Fact]
    public void Build_Detached_NoCommand_UsesImageDefaults()
    {
        var r = Build("-d", "busybox");
        Assert.False(r.AttachStdout);
        Assert.Null(r.Cmd);
        Assert.Null(r.Entrypoint);
    }

    [Fact]
    public void Build_EnvFromEnvironment_ResourcesPortsVolumes()
    {
        var r = Build("-e", "HOME", "-e", "UNSET", "-m", "512m", "--cpus", "1.5", "--pids-limit", "100", "-p", "127.0.0.1:8080:80/udp",
            "-v", "/data", "-v", "vol:/x:ro", "--restart", "on-failure:3", "-l", "a=b", "--entrypoint", "", "-w", "/tmp", "-u", "1000", "busybox");
        Assert.Equal(["HOME=/root", "UNSET"], r.Env);
        Assert.Equal(512L << 20, r.HostConfig!.Memory);
        Assert.Equal(1_500_000_000L, r.HostConfig.NanoCpus);
        Assert.Equal(100, r.HostConfig.PidsLimit);
        var b = Assert.Single(r.HostConfig.PortBindings!["80/udp"]!);
        Assert.Equal(("127.0.0.1", "8080"), (b.HostIp, b.HostPort));
        Assert.True(r.ExposedPorts!.ContainsKey("80/udp"));
        Assert.True(r.Volumes!.ContainsKey("/data"));
        Assert.Equal(["vol:/x:ro"], r.HostConfig.Binds);
        Assert.Equal(("on-failure", 3), (r.HostConfig.RestartPolicy!.Name, r.HostConfig.RestartPolicy.MaximumRetryCount));
        Assert.Equal("b", r.Labels!["a"]);
        Assert.Equal([""], r.Entrypoint);
        Assert.Equal(("/tmp", "1000"), (r.WorkingDir, r.User));
    }

    [Theory]
    [InlineData("512m", 512L << 20)]
    [InlineData("1g", 1L << 30)]
    [InlineData("100", 100L)]
    [InlineData("1.5GB", 1610612736L)]
    public void RamInBytes_ParsesBinaryUnits(string input, long expected) => Assert.Equal(expected, Units.RamInBytes(input));
}
