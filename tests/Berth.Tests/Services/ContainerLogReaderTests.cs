using System.Text;
using Berth.Monitor;
using Berth.Runtime.Monitor;
using Berth.Services.Logs;

namespace Berth.Tests.Services;

public sealed class ContainerLogReaderTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"berth-log-{Guid.NewGuid():N}.log");

    public void Dispose()
    {
        File.Delete(_path);
        File.Delete(_path + ".1");
    }

    private async Task<List<(int Stream, string Text)>> ReadAsync(LogOptions options)
    {
        var result = new List<(int, string)>();
        await foreach (var e in new ContainerLogReader(_path).ReadAsync(options, () => false, CancellationToken.None))
            result.Add((e.Stream, Encoding.UTF8.GetString(e.Content.Span)));
        return result;
    }

    private static LogOptions All(int? tail = null, DateTimeOffset? since = null) => new(true, true, false, false, since, null, tail);

    [Fact]
    public async Task Read_JoinsPartialRecordsAndKeepsStreams()
    {
        File.WriteAllText(_path,
            "2026-01-01T00:00:00.000000001+00:00 stdout P hel\n" +
            "2026-01-01T00:00:00.000000002+00:00 stdout F lo\n" +
            "2026-01-01T00:00:01.000000000+00:00 stderr F oops\n");
        var lines = await ReadAsync(All());
        Assert.Equal([(1, "hello\n"), (2, "oops\n")], lines);
    }

    [Fact]
    public async Task Read_Tail_KeepsLastLines()
    {
        File.WriteAllText(_path, string.Concat(Enumerable.Range(0, 5).Select(i => $"2026-01-01T00:00:0{i}.000000000+00:00 stdout F l{i}\n")));
        var lines = await ReadAsync(All(tail: 2));
        Assert.Equal(["l3\n", "l4\n"], lines.Select(l => l.Text));
    }

    [Fact]
    public async Task Read_Since_DropsOlderLines()
    {
        File.WriteAllText(_path, "2026-01-01T00:00:00.000000000+00:00 stdout F old\n2026-01-01T00:00:05.000000000+00:00 stdout F new\n");
        var lines = await ReadAsync(All(since: new DateTimeOffset(2026, 1, 1, 0, 0, 3, TimeSpan.Zero)));
        Assert.Equal(["new\n"], lines.Select(l => l.Text));
    }

    [Fact]
    public async Task Read_IncompleteLastLine_IsNotReturned()
    {
        File.WriteAllText(_path, "2026-01-01T00:00:00.000000000+00:00 stdout F done\n2026-01-01T00:00:01.000000000+00:00 stdout F half");
        var lines = await ReadAsync(All());
        Assert.Equal(["done\n"], lines.Select(l => l.Text));
    }

    // berth-monitor's record format, written by the monitor's own LogFile.

    private void WriteRecords(params (int Stream, string Text)[] records)
    {
        using var log = new LogFile(_path);
        foreach (var (stream, text) in records) log.Write(stream, Encoding.UTF8.GetBytes(text));
    }

    [Fact]
    public async Task Records_PlainRead_ReturnsTheBytesAsWritten_WithLinesJoinedAcrossRecordsPerStream()
    {
        WriteRecords((1, "one\ntw"), (2, "err "), (1, "o\nthree\n"), (2, "line\n"));
        Assert.True(File.ReadAllBytes(_path).AsSpan().StartsWith(LogRecordFormat.Magic));
        var entries = await ReadAsync(All());
        Assert.Equal("one\ntwo\nthree\n", string.Concat(entries.Where(e => e.Stream == 1).Select(e => e.Text)));
        Assert.Equal("err line\n", string.Concat(entries.Where(e => e.Stream == 2).Select(e => e.Text)));
    }

    [Fact]
    public async Task Records_TailAndTimestamps_SeeOneEntryPerLine()
    {
        WriteRecords((1, "a\nb\nc\n"), (1, "d\ne\n"));
        Assert.Equal(["d\n", "e\n"], (await ReadAsync(All(tail: 2))).Select(l => l.Text));
        var timestamped = await ReadAsync(new LogOptions(true, true, false, true, null, null, null));
        Assert.Equal(["a\n", "b\n", "c\n", "d\n", "e\n"], timestamped.Select(l => l.Text));
    }

    [Fact]
    public async Task Records_UnfinishedLastLine_IsReturnedAtTheEnd()
    {
        WriteRecords((1, "done\nhal"), (1, "f"));
        Assert.Equal("done\nhalf", string.Concat((await ReadAsync(All())).Select(l => l.Text)));
    }

    [Fact]
    public async Task Records_StdoutOnlyAndSince_FilterByRecord()
    {
        WriteRecords((1, "out\n"), (2, "err\n"));
        var since = DateTimeOffset.UtcNow.AddMinutes(1);
        Assert.Empty(await ReadAsync(All(since: since)));
        Assert.Equal([(1, "out\n"), (2, "err\n")], await ReadAsync(All()));
    }

    [Fact]
    public async Task Records_ARecordLargerThanTheReadChunk_IsReadWhole()
    {
        var big = new string('x', 3 << 20) + "\n";
        WriteRecords((1, big), (1, "after\n"));
        var text = string.Concat((await ReadAsync(All())).Select(l => l.Text));
        Assert.Equal(big + "after\n", text);
    }

    [Fact]
    public async Task Records_DamagedHeader_EndsTheFileWithoutFailing()
    {
        WriteRecords((1, "good\n"));
        File.AppendAllText(_path, "garbage that is not a header at all");
        Assert.Equal([(1, "good\n")], await ReadAsync(All()));
    }

    [Fact]
    public async Task Records_AConmonStartedFile_IsContinuedInTheCriFormat_AndReadWhole()
    {
        File.WriteAllText(_path, "2026-01-01T00:00:00.000000000+00:00 stdout F from conmon\n");
        WriteRecords((1, "from the monitor\n"));
        Assert.False(File.ReadAllBytes(_path).AsSpan().IndexOf(LogRecordFormat.Magic) >= 0);
        Assert.Equal(["from conmon\n", "from the monitor\n"], (await ReadAsync(All())).Select(l => l.Text));
    }

    [Fact]
    public async Task Records_ReopenAfterRotation_StartsAFreshRecordFile()
    {
        using (var log = new LogFile(_path))
        {
            log.Write(1, "old\n"u8);
            File.Move(_path, _path + ".1");
            log.Reopen();
            log.Write(1, "new\n"u8);
        }
        Assert.True(File.ReadAllBytes(_path).AsSpan().StartsWith(LogRecordFormat.Magic));
        Assert.Equal(["old\n", "new\n"], (await ReadAsync(All())).Select(l => l.Text));
    }

    [Fact]
    public async Task Records_Follow_ReturnsWhatIsWrittenWhileFollowing()
    {
        using var log = new LogFile(_path);
        log.Write(1, "before\n"u8);
        var running = true;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<string>();
        var reading = Task.Run(async () =>
        {
            await foreach (var e in new ContainerLogReader(_path).ReadAsync(new LogOptions(true, true, true, false, null, null, null), () => Volatile.Read(ref running), cts.Token))
            {
                lock (seen) seen.Add(Encoding.UTF8.GetString(e.Content.Span));
            }
        });
        while (true)
        {
            lock (seen) if (seen.Count == 1) break;
            await Task.Delay(10, cts.Token);
        }
        log.Write(1, "after\nand a half"u8);
        log.Write(1, " line\n"u8);
        while (true)
        {
            lock (seen) if (seen.Count == 3) break;
            await Task.Delay(10, cts.Token);
        }
        Volatile.Write(ref running, false);
        await reading.WaitAsync(cts.Token);
        Assert.Equal(["before\n", "after\n", "and a half line\n"], seen);
    }
}
