using Berth.Api.Models.Containers;
using Berth.Builder.Dockerfile;
using Berth.Builder.Execution;

namespace Berth.Tests.Builder;

public sealed class ExecutionHelpersTests
{
    [Theory]
    [InlineData("", "app", "/app")]
    [InlineData("/work", "app/", "/work/app/")]
    [InlineData("/work", ".", "/work")]
    [InlineData("/work", "./", "/work/")]
    [InlineData("/work", "/abs", "/abs")]
    [InlineData("/work", "../x", "/x")]
    public void NormalizeDest_RelativeToWorkdir_KeepsTrailingSlash(string workdir, string dest, string expected) =>
        Assert.Equal(expected, ClassicBuilder.NormalizeDest(workdir, dest));

    [Theory]
    [InlineData("80", "80/tcp")]
    [InlineData("53/UDP", "53/udp")]
    [InlineData("8000-8002/tcp", "8000/tcp,8001/tcp,8002/tcp")]
    [InlineData("127.0.0.1:8080:80", "80/tcp")]
    public void PortSpec_Parse_AsNat(string raw, string expected) => Assert.Equal(expected, string.Join(',', PortSpec.Parse(raw)));

    [Theory]
    [InlineData("80/xyz", "invalid proto: xyz")]
    [InlineData("abc", "invalid containerPort: abc")]
    public void PortSpec_Invalid_Throws(string raw, string message) =>
        Assert.Equal(message, Assert.Throws<BuildFailedException>(() => PortSpec.Parse(raw)).Message);

    [Theory]
    [InlineData("SIGTERM", true)]
    [InlineData("term", true)]
    [InlineData("9", true)]
    [InlineData("SIGRTMIN+3", true)]
    [InlineData("SIGFOO", false)]
    [InlineData("0", false)]
    public void SignalNames_IsValid(string signal, bool valid) => Assert.Equal(valid, SignalNames.IsValid(signal));

    [Fact]
    public void BuildArgs_OnlyDeclaredArgsApply_MetaDefaultsInherit()
    {
        var args = new BuildArgs(new Dictionary<string, string?> { ["A"] = "cli", ["UNUSED"] = "x", ["HTTP_PROXY"] = "http://p" });
        args.AddMetaArg("B", "meta");
        var stage = args.CloneForStage();
        Assert.Equal(["HTTP_PROXY=http://p"], stage.FilterAllowed([]));   // proxies are always allowed
        stage.AddArg("A", "default");
        stage.AddArg("B", null);
        Assert.Equal(["A=cli", "B=meta", "HTTP_PROXY=http://p"], stage.FilterAllowed([]));
        Assert.Equal(["B=meta", "HTTP_PROXY=http://p"], stage.FilterAllowed(["A=from-env"]));   // ENV shadows an ARG
        args.MergeReferenced(stage);
        Assert.Equal(["UNUSED"], args.Unused());
    }

    [Fact]
    public void CacheKey_SameParentAndConfig_Equal_OtherwiseDifferent()
    {
        ContainerConfig Config(string cmd) => new() { Env = ["A=1"], Cmd = ["/bin/sh", "-c", cmd], Labels = new() { ["b"] = "2", ["a"] = "1" } };
        var key = ClassicBuilder.CacheKey("sha256:p", Config("x"));
        Assert.Equal(key, ClassicBuilder.CacheKey("sha256:p", Config("x")));
        Assert.NotEqual(key, ClassicBuilder.CacheKey("sha256:q", Config("x")));
        Assert.NotEqual(key, ClassicBuilder.CacheKey("sha256:p", Config("y")));
        var withEnv = Config("x");
        withEnv.Env!.Add("B=2");
        Assert.NotEqual(key, ClassicBuilder.CacheKey("sha256:p", withEnv));
    }

    [Fact]
    public void StageGraph_SkipsStagesNothingNeeds()
    {
        var doc = InstructionParser.Parse("ARG B=base\nFROM busybox AS base\nFROM busybox AS tools\nFROM busybox AS unused\nFROM ${B}\nCOPY --from=tools /x /x\nCOPY --from=0 /y /y\n");
        Assert.Equal([0, 1, 3], StageGraph.Needed(doc, 3, new ShellEnv(["B=base"])));
    }

    [Fact]
    public void ImageConfig_WriteThenParse_RoundTrips()
    {
        var image = new ImageConfig { Architecture = "amd64", Author = "me", Config = new ContainerConfig { User = "app", Cmd = ["a"], Healthcheck = new HealthConfig { Test = ["NONE"] } } };
        image.History.Add(new HistoryEntry("2024-01-01T00:00:00Z", "/bin/sh -c #(nop)  USER app", "me", null, true));
        var json = System.Text.Encoding.UTF8.GetString(ImageConfigWriter.Write(image, ["sha256:abc"], DateTimeOffset.UnixEpoch));
        Assert.Contains("\"created\":\"1970-01-01T00:00:00Z\"", json, StringComparison.Ordinal);
        Assert.Contains("\"empty_layer\":true", json, StringComparison.Ordinal);
        var parsed = ImageConfig.Parse(json);
        Assert.Equal("app", parsed.Config!.User);
        Assert.Equal(["NONE"], parsed.Config.Healthcheck!.Test);
        Assert.Equal("me", parsed.Author);
        Assert.True(Assert.Single(parsed.History).EmptyLayer);
    }

    [Theory]
    [InlineData("*.txt", "a.txt", true)]
    [InlineData("*.txt", "d/a.txt", false)]
    [InlineData("d/*", "d/a.txt", true)]
    [InlineData("[ab].c", "b.c", true)]
    [InlineData("[^ab].c", "b.c", false)]
    [InlineData("a?c", "abc", true)]
    public void GoGlob_MatchesAsFilepathMatch(string pattern, string path, bool match) => Assert.Equal(match, GoGlob.Compile(pattern).IsMatch(path));
}
