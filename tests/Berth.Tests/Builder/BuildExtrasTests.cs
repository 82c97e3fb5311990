using Berth.Builder.Dockerfile;
using Berth.Builder.Execution;

namespace Berth.Tests.Builder;

/// <summary>RUN --mount=type=secret parsing, the stage dependency graph and the ordered output of parallel stages.</summary>
public sealed class BuildExtrasTests
{
    [Theory]
    [InlineData("type=secret,id=tok", "tok", "/run/secrets/tok", false)]
    [InlineData("type=secret,target=/etc/key", "key", "/etc/key", false)]
    [InlineData("type=secret,id=x,dst=/a/b,required", "x", "/a/b", true)]
    [InlineData("type=secret,id=x,required=false", "x", "/run/secrets/x", false)]
    public void RunMount_Secret_DefaultsLikeBuildKit(string spec, string id, string target, bool required)
    {
        var m = RunMount.Parse(spec);
        Assert.Equal(("secret", id, target, required), (m.Type, m.Id, m.Target, m.Required));
    }

    [Theory]
    [InlineData("type=secret", "secret mount needs an id or a target")]
    [InlineData("type=secret,id=x,mode=999", "invalid mode")]
    [InlineData("type=ssh", "not supported")]
    public void RunMount_Invalid_Throws(string spec, string message) =>
        Assert.Contains(message, Assert.Throws<BuildFailedException>(() => RunMount.Parse(spec)).Message, StringComparison.Ordinal);

    [Fact]
    public void StageGraph_Dependencies_FromAndCopyFrom()
    {
        var doc = InstructionParser.Parse("FROM busybox AS a\nFROM busybox AS b\nFROM a AS c\nCOPY --from=b /x /x\nCOPY --from=0 /y /y\nFROM busybox\n");
        var env = new ShellEnv(Array.Empty<string>());
        Assert.Empty(StageGraph.Dependencies(doc, 1, env));
        Assert.Equal([0, 1], StageGraph.Dependencies(doc, 2, env).Order());
        Assert.Equal([0, 1, 2], StageGraph.Needed(doc, 2, env));
        Assert.Equal([3], StageGraph.Needed(doc, 3, env));
    }

    [Fact]
    public async Task OrderedOutput_LaterStagesBuffered_FlushedInOrder()
    {
        var sink = new RecordingOutput();
        var ordered = new OrderedOutput(sink, sink, 3);
        await ordered.For(2).WriteAsync("c1 ", CancellationToken.None);
        await ordered.For(1).WriteAsync("b1 ", CancellationToken.None);
        await ordered.For(0).WriteAsync("a1 ", CancellationToken.None);
        await ordered.For(2).AuxAsync("id-c", CancellationToken.None);
        await ordered.CompleteAsync(2, CancellationToken.None);
        Assert.Equal("a1 ", sink.Text);
        await ordered.CompleteAsync(0, CancellationToken.None);
        Assert.Equal("a1 b1 ", sink.Text);
        await ordered.For(1).WriteAsync("b2 ", CancellationToken.None);
        await ordered.CompleteAsync(1, CancellationToken.None);
        Assert.Equal("a1 b1 b2 c1 [id-c]", sink.Text);
    }

    [Fact]
    public async Task OrderedOutput_Failure_FlushesUpToTheFailedStage()
    {
        var sink = new RecordingOutput();
        var ordered = new OrderedOutput(sink, sink, 3);
        await ordered.For(0).WriteAsync("a ", CancellationToken.None);
        await ordered.For(1).WriteAsync("b ", CancellationToken.None);
        await ordered.For(2).WriteAsync("c ", CancellationToken.None);
        await ordered.FlushUpToAsync(1, CancellationToken.None);
        Assert.Equal("a b ", sink.Text);
    }

    private sealed class RecordingOutput : IBuildOutput
    {
        public string Text { get; private set; } = "";

        public Task WriteAsync(string text, CancellationToken ct)
        {
            Text += text;
            return Task.CompletedTask;
        }

        public Task AuxAsync(string imageId, CancellationToken ct)
        {
            Text += "[" + imageId + "]";
            return Task.CompletedTask;
        }
    }
}
