using Berth.Builder.Dockerfile;
using Berth.Builder.Execution;

namespace Berth.Tests.Builder;

/// <summary><c>RUN --mount=type=bind</c> options and errors, as BuildKit's parseMount reads and words them.</summary>
public sealed class RunMountTests
{
    [Theory]
    [InlineData("type=bind,target=/src", "/src", "", "", false)]
    [InlineData("target=/src", "/src", "", "", false)]                       // bind is the default type
    [InlineData("type=bind,dst=rel,source=sub/dir", "rel", "sub/dir", "", false)]
    [InlineData("type=bind,destination=/d,src=/x,from=build,rw", "/d", "/x", "build", true)]
    [InlineData("type=bind,target=/d,readwrite=true", "/d", "", "", true)]
    [InlineData("type=bind,target=/d,rw=false", "/d", "", "", false)]
    [InlineData("type=bind,target=/d,rw,ro", "/d", "", "", false)]        // the last one wins
    [InlineData("type=bind,target=/d,ro=0", "/d", "", "", true)]
    [InlineData("type=BIND,Target=/d,FROM=1", "/d", "", "1", false)]
    public void Bind_Options(string spec, string target, string source, string from, bool readWrite)
    {
        var m = RunMount.Parse(spec);
        Assert.Equal(("bind", target, source, from, readWrite), (m.Type, m.Target, m.Source, m.From, m.ReadWrite));
    }

    [Theory]
    [InlineData("type=bind,target=/d,mode=0755", "mode not allowed for \"bind\" type mounts")]
    [InlineData("type=bind,target=/d,uid=1", "uid not allowed for \"bind\" type mounts")]
    [InlineData("type=bind,target=/d,gid=1", "gid not allowed for \"bind\" type mounts")]
    [InlineData("type=bind,target=/d,size=10m", "unexpected key 'size' for mount type 'bind'")]
    [InlineData("type=bind,target=/d,required", "unexpected key 'required' for mount type 'bind'")]
    [InlineData("type=bind,target=/d,sharing=locked", "invalid cache sharing set for bind mount")]
    [InlineData("type=bind,target=/d,rw=maybe", "invalid value for rw: maybe")]
    [InlineData("type=bind,target=/d,readonly=yes", "invalid value for readonly: yes")]
    [InlineData("type=bind,target=/d,bogus=1", "unexpected key 'bogus' in 'bogus=1'")]
    [InlineData("type=bind,target=/d,nokey", "invalid field 'nokey' must be a key=value pair")]
    [InlineData("type=volume,target=/d", "unsupported mount type \"volume\"")]
    public void Bind_Invalid_ThrowsBuildKitsError(string spec, string message) =>
        Assert.Equal(message, Assert.Throws<BuildFailedException>(() => RunMount.Parse(spec)).Message);

    [Theory]
    [InlineData("type=bind,target=/d,from=$STAGE")]
    [InlineData("type=bind,target=/d,from=${X}y")]
    public void Bind_FromWithVariable_IsRefused(string raw) =>
        Assert.Equal("'from' doesn't support variable expansion, define alias stage instead",
            Assert.Throws<BuildFailedException>(() => RunMount.CheckFromNotExpanded(raw)).Message);

    [Fact]
    public void Bind_FromEndingInDollar_IsLiteral() => RunMount.CheckFromNotExpanded("type=bind,target=/d,from=odd$");

    [Fact]
    public void StageGraph_MountFrom_IsADependency()
    {
        var doc = InstructionParser.Parse("FROM busybox AS a\nFROM busybox AS b\nFROM busybox\nRUN --mount=type=bind,from=a,target=/a --mount=from=1,target=/b true\n");
        Assert.Equal([0, 1, 2], StageGraph.Needed(doc, 2, new ShellEnv(Array.Empty<string>())));
    }
}
