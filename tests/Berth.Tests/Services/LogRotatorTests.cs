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
        await foreach (var e in new ContainerLogReader(log).ReadAsync(new LogOptions(true, true, false, false, null, null, null), () => false, CancellationToken.None))
            lines.Add(System.Text.Encoding.UTF8.GetString(e.Content.Span));
        Assert.Equal(["a\n", "b\n", "c\n"], lines);
    }

    [Fact]
    public void Policy_DefaultsToRotation() =>
        Assert.Equal(new LogPolicy(20L * 1024 * 1024, 5), LogPolicy.Of(new Berth.Api.Models.Containers.HostConfig()));

    [Theory]
    [InlineData("json-file", null, null, false)]
    [InlineData("json-file", "true", null, true)]
    [InlineData("json-file", "1", "3", true)]
    [InlineData("local", null, null, true)]        // Docker's local driver compresses by default
    [InlineData("local", "false", null, false)]
    [InlineData("json-file", "true", "1", false)]  // nothing is rotated, so nothing to compress
    public void Policy_Compress_FollowsOptionAndDriverDefault(string driver, string? compress, string? maxFile, bool expected)
    {
        var config = new Dictionary<string, string>();
        if (compress is not null) config["compress"] = compress;
        if (maxFile is not null) config["max-file"] = maxFile;
        var host = new Berth.Api.Models.Containers.HostConfig { LogConfig = new Berth.Api.Models.Containers.LogConfig { Type = driver, Config = config } };
        Assert.Equal(expected, LogPolicy.Of(host).Compress);
    }

    [Fact]
    public void Rotate_Compressed_ShiftsGzFilesAndDropsTheOldest()
    {
        var log = Path.Combine(_dir, "c.log");
        File.WriteAllText(log, "live");
        File.WriteAllText(log + ".1.gz", "one");
        File.WriteAllText(log + ".2.gz", "two");

        LogRotator.Rotate(log, maxFiles: 3, compress: true);

        Assert.Equal("live", File.ReadAllText(log + ".1"));
        Assert.Equal("one", File.ReadAllText(log + ".2.gz"));
        Assert.False(File.Exists(log + ".3.gz"));
        Assert.False(File.Exists(log));
    }

    [Fact]
    public void Rotate_Compressed_LeftoverPlainFileIsCompressedNotOverwritten()
    {
        // A daemon killed while compressing leaves .1 plain; the next rotation must keep its lines.
        var log = Path.Combine(_dir, "c.log");
        File.WriteAllText(log, "live");
        File.WriteAllText(log + ".1", "left plain");

        LogRotator.Rotate(log, maxFiles: 3, compress: true);

        Assert.Equal("live", File.ReadAllText(log + ".1"));
        Assert.Equal("left plain", Gunzip(log + ".2.gz"));
    }

    [Fact]
    public void Compress_ReplacesThePlainFileWithAGzipOfIt()
    {
        var file = Path.Combine(_dir, "c.log.1");
        var text = string.Concat(Enumerable.Range(0, 5000).Select(i => $"2026-01-01T00:00:00.000000000+00:00 stdout F line {i}\n"));
        File.WriteAllText(file, text);

        LogCompressor.Compress(file);

        Assert.False(File.Exists(file));
        Assert.False(File.Exists(file + ".gz.tmp"));
        Assert.Equal(text, Gunzip(file + ".gz"));
        Assert.True(new FileInfo(file + ".gz").Length < text.Length / 4);
    }

    [Fact]
    public async Task Reader_ReadsCompressedAndPlainRotatedFilesInOrder()
    {
        var log = Path.Combine(_dir, "c.log");
        File.WriteAllText(log + ".3", "2026-01-01T00:00:00.000000000+00:00 stdout F a\n");
        LogCompressor.Compress(log + ".3");
        File.WriteAllText(log + ".2", "2026-01-01T00:00:01.000000000+00:00 stdout P b\n");
        LogCompressor.Compress(log + ".2");
        // .1 is mid-compression: both forms exist and only the plain one is trusted.
        File.WriteAllText(log + ".1", "2026-01-01T00:00:02.000000000+00:00 stdout F c\n");
        File.WriteAllText(log + ".1.gz", "not gzip at all");
        File.WriteAllText(log, "2026-01-01T00:00:03.000000000+00:00 stdout F d\n");
        var lines = new List<string>();
        await foreach (var e in new ContainerLogReader(log).ReadAsync(new LogOptions(true, true, false, false, null, null, null), () => false, CancellationToken.None))
            lines.Add(System.Text.Encoding.UTF8.GetString(e.Content.Span));
        // The partial record b in one file joins the line that ends in the next.
        Assert.Equal(["a\n", "bc\n", "d\n"], lines);
    }

    private static string Gunzip(string file)
    {
        using var gz = new System.IO.Compression.GZipStream(File.OpenRead(file), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        return reader.ReadToEnd();
    }
}
