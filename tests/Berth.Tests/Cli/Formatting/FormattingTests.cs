using Berth.Api.Models.Containers;
using Berth.Cli.Formatting;
using Berth.Cli.Terminal;

namespace Berth.Tests.Cli.Formatting;

public sealed class FormattingTests
{
    [Theory]
    [InlineData(0.5, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(59, "59 seconds")]
    [InlineData(90, "About a minute")]
    [InlineData(3 * 60, "3 minutes")]
    [InlineData(3600, "About an hour")]
    [InlineData(2 * 3600, "2 hours")]
    [InlineData(3 * 86400, "3 days")]
    [InlineData(21 * 86400, "3 weeks")]
    [InlineData(90 * 86400, "3 months")]
    [InlineData(800 * 86400, "2 years")]
    public void Duration_MatchesGoUnits(double seconds, string expected) => Assert.Equal(expected, HumanUnits.Duration(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(4261234, 3, "4.26MB")]
    [InlineData(12345, 3, "12.3kB")]
    [InlineData(999, 3, "999B")]
    [InlineData(0, 3, "0B")]
    [InlineData(4261234, 4, "4.261MB")]
    [InlineData(999999, 3, "1e+03kB")]
    public void Size_MatchesGoUnits(double size, int precision, string expected) => Assert.Equal(expected, HumanUnits.Size(size, precision));

    [Fact]
    public void Ports_GroupsRangesAndListsMappingsLast()
    {
        PortSummary[] ports =
        [
            new() { IP = "0.0.0.0", PrivatePort = 80, PublicPort = 8080, Type = "tcp" },
            new() { PrivatePort = 443, Type = "tcp" },
            new() { PrivatePort = 444, Type = "tcp" },
            new() { IP = "0.0.0.0", PrivatePort = 9000, PublicPort = 9000, Type = "udp" },
            new() { IP = "::", PrivatePort = 81, PublicPort = 8081, Type = "tcp" },
        ];
        Assert.Equal("443-444/tcp, 0.0.0.0:9000->9000/udp, 0.0.0.0:8080->80/tcp, [::]:8081->81/tcp", PortsFormatter.Format(ports));
    }

    [Theory]
    [InlineData("alpine", "docker.io/library/alpine", "latest")]
    [InlineData("alpine:3.10", "docker.io/library/alpine", "3.10")]
    [InlineData("user/app", "docker.io/user/app", "latest")]
    [InlineData("localhost:5000/foo:1", "localhost:5000/foo", "1")]
    [InlineData("localhost:5000/foo", "localhost:5000/foo", "latest")]
    [InlineData("x@sha256:abc", "docker.io/library/x", "sha256:abc")]
    public void ReferenceSplit_QualifiesLikeTheCli(string input, string repo, string tag) => Assert.Equal((repo, tag), ReferenceText.Split(input));

    [Fact]
    public void JsonIndenter_KeepsEscapesAndEmptyContainers()
    {
        var text = JsonIndenter.IndentArray([System.Text.Encoding.UTF8.GetBytes("""{"a":"x\u003ey","b":[],"c":{"d":[1,2]}}""")]);
        Assert.Equal("[\n    {\n        \"a\": \"x\\u003ey\",\n        \"b\": [],\n        \"c\": {\n            \"d\": [\n                1,\n                2\n            ]\n        }\n    }\n]", text);
    }

    [Fact]
    public void DetachKeys_DetectsSequence_ReleasesBrokenPrefix()
    {
        var keys = new DetachKeys(DetachKeys.Parse("ctrl-p,ctrl-q"));
        var (fwd, detach) = keys.Feed([(byte)'a', 16, (byte)'b']);
        Assert.Equal([(byte)'a', 16, (byte)'b'], fwd);
        Assert.False(detach);
        (fwd, detach) = keys.Feed([(byte)'c', 16]);
        Assert.Equal([(byte)'c'], fwd);
        (fwd, detach) = keys.Feed([17, (byte)'z']);
        Assert.True(detach);
        Assert.Empty(fwd);
    }

    [Theory]
    [InlineData("unix:///tmp/x.sock", null, null, "/tmp/x.sock")]
    [InlineData(null, "unix:///b.sock", "unix:///d.sock", "/b.sock")]
    [InlineData(null, null, "unix:///d.sock", "/d.sock")]
    [InlineData(null, null, null, "/run/berth/berth.sock")]
    public void ResolveEndpoint_FlagThenBerthHostThenDockerHost(string? flag, string? berthHost, string? dockerHost, string expected)
    {
        var env = new Dictionary<string, string?> { ["BERTH_HOST"] = berthHost, ["DOCKER_HOST"] = dockerHost };
        Assert.Equal(expected, Berth.Cli.CliContext.ResolveEndpoint(flag, new Berth.Cli.TlsFlags(), k => env.GetValueOrDefault(k)).UnixPath);
    }

    [Fact]
    public void ResolveEndpoint_TcpDockerHost_FollowsDockerTlsEnvironment()
    {
        var env = new Dictionary<string, string?> { ["DOCKER_HOST"] = "tcp://1.2.3.4", ["DOCKER_TLS_VERIFY"] = "1", ["DOCKER_CERT_PATH"] = "/certs" };
        var e = Berth.Cli.CliContext.ResolveEndpoint(null, new Berth.Cli.TlsFlags(), k => env.GetValueOrDefault(k));
        Assert.Equal(("1.2.3.4", 2376, true, true), (e.Host, e.Port, e.Tls, e.TlsVerify));
        Assert.Equal(("/certs/ca.pem", "/certs/cert.pem", "/certs/key.pem"), (e.CaFile, e.CertFile, e.KeyFile));

        env.Remove("DOCKER_TLS_VERIFY");
        e = Berth.Cli.CliContext.ResolveEndpoint("tcp://127.0.0.1:9999", new Berth.Cli.TlsFlags { Cert = "/c.pem" }, k => env.GetValueOrDefault(k));
        Assert.Equal(("127.0.0.1", 9999, false, false, "/c.pem"), (e.Host, e.Port, e.Tls, e.TlsVerify, e.CertFile));
        Assert.Equal(2375, Berth.Cli.CliContext.ResolveEndpoint("tcp://h", new Berth.Cli.TlsFlags(), _ => null).Port);
    }
}
