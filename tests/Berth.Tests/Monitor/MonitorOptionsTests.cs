using Berth.Monitor;
using Berth.Runtime.Monitor;

namespace Berth.Tests.Monitor;

public sealed class MonitorOptionsTests
{
    [Fact]
    public void ToArguments_ParsesBackToTheSameOptions()
    {
        var options = new MonitorOptions("abc", "/usr/bin/crun", ["--root=/run/x", "--debug"], "/b", "/p/pidfile", "/p/monitor.pid",
            "/logs/abc.log", "/exits", "/p", "/sys/fs/cgroup/memory/berth/abc/memory.oom_control", Tty: true, Stdin: true, LeaveStdinOpen: false);
        var parsed = MonitorOptions.Parse(options.ToArguments());
        Assert.Equal(options.RuntimeArguments, parsed.RuntimeArguments);
        Assert.Equal(options with { RuntimeArguments = parsed.RuntimeArguments }, parsed);
    }

    [Fact]
    public void Parse_WithoutLogOrOomFile_LeavesThemUnset()
    {
        var parsed = MonitorOptions.Parse(["--id", "a", "--runtime", "crun", "--bundle", "/b", "--pid-file", "/p", "--monitor-pid-file", "/m",
            "--exit-dir", "/e", "--persist-dir", "/d"]);
        Assert.Null(parsed.LogPath);
        Assert.Null(parsed.OomFile);
        Assert.False(parsed.Tty || parsed.Stdin || parsed.LeaveStdinOpen);
    }

    [Theory]
    [InlineData("--id a --runtime crun", "--bundle is required")]
    [InlineData("--id a --runtime crun --bundle /b --pid-file /p --monitor-pid-file /m --exit-dir /e --persist-dir /d --color red", "unknown flag --color")]
    [InlineData("--id", "unexpected argument --id")]
    public void Parse_BadCommandLine_SaysWhat(string args, string message)
    {
        var e = Assert.Throws<FormatException>(() => MonitorOptions.Parse(args.Split(' ')));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void SyncPipeMessage_IsEscapedJson()
    {
        var text = SyncPipe.Escape("bad \"path\"\\x\nnext\u0001");
        Assert.Equal("bad \\\"path\\\"\\\\x\\nnext\\u0001", text);
        using var doc = System.Text.Json.JsonDocument.Parse($"{{\"message\": \"{text}\"}}");
        Assert.Equal("bad \"path\"\\x\nnext\u0001", doc.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public void CriRecords_SplitAReadIntoFullAndPartialRecords()
    {
        var cri = new CriRecords();
        cri.Encode(2, "one\ntwo\nthr"u8, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234567));
        Assert.Equal(
            "2026-01-02T03:04:05.123456700Z stderr F one\n2026-01-02T03:04:05.123456700Z stderr F two\n2026-01-02T03:04:05.123456700Z stderr P thr\n",
            System.Text.Encoding.UTF8.GetString(cri.Encoded));
    }
}
