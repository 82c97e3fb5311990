using System.Text;
using Berth.Services.Logs;

namespace Berth.Tests.Services;

public sealed class CriLogReaderTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"berth-log-{Guid.NewGuid():N}.log");

    public void Dispose() => File.Delete(_path);

    private async Task<List<(int Stream, string Text)>> ReadAsync(LogOptions options)
    {
        var result = new List<(int, string)>();
        await foreach (var e in new CriLogReader(_path).ReadAsync(options, () => false, CancellationToken.None))
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
}
