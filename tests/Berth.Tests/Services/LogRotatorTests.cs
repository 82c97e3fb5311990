using Berth.Services.Logs;

namespace Berth.Tests.Services;

public sealed class LogRotatorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-rotate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Rotate_ShiftsFilesAndDropsTheOldest()
    {
        var log = Path.Combine(_dir, "c.log");
        File.WriteAllText(log, "live");
        File.WriteAllText(log + ".1", "one");
        File.WriteAllText(log + ".2", "two");

        LogRotator.Rotate(log, maxFiles: 3);

        Assert.False(File.Exists(log));
        Assert.Equal("live", File.ReadAllText(log + ".1"));
        Assert.Equal("one", File.ReadAllText(log + ".2"));
        Assert.False(File.Exists(log + ".3"));
    }

    [Fact]
    public void Rotate_SingleFile_DiscardsTheLiveFile()
    {
        var log = Path.Combine(_dir, "c.log");
        File.WriteAllText(log, "live");
        LogRotator.Rotate(log, maxFiles: 1);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public async Task Reader_ReadsRotatedFilesOldestFirst()
    {
        var log = Path.Combine(_dir, "c.log");
        File.WriteAllText(log + ".2", "2026-01-01T00:00:00.000000000+00:00 stdout F a\n");
        File.WriteAllText(log + ".1", "2026-01-01T00:00:01.000000000+00:00 stdout F b\n");
        File.WriteAllText(log, "2026-01-01T00:00:02.000000000+00:00 stdout F c\n");
        var lines = new List<string>();
        await foreach (var e in new CriLogReader(log).ReadAsync(new LogOptions(true, true, false, false, null, null, null), () => false, CancellationToken.None))
            lines.Add(System.Text.Encoding.UTF8.GetString(e.Content.Span));
        Assert.Equal(["a\n", "b\n", "c\n"], lines);
    }

    [Fact]
    public void Policy_DefaultsToRotation() =>
        Assert.Equal(new LogPolicy(20L * 1024 * 1024, 5), LogPolicy.Of(new Berth.Api.Models.Containers.HostConfig()));
}
