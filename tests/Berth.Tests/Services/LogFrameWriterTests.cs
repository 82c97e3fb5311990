using System.Buffers.Binary;
using System.Text;
using Berth.Services.Logs;

namespace Berth.Tests.Services;

public sealed class LogFrameWriterTests
{
    [Theory]
    [InlineData(true, new[] { "1:a\nb\nc\n", "2:err\n", "1:d\n" })]
    [InlineData(false, new[] { "1:a\n", "1:b\n", "1:c\n", "2:err\n", "1:d\n" })]
    public async Task AddAsync_CoalescesSameStreamLinesOnlyWhenAsked(bool coalesce, string[] expected)
    {
        var output = new MemoryStream();
        var writer = new LogFrameWriter(output, raw: false, coalesce);
        foreach (var (stream, text) in new[] { (1, "a\n"), (1, "b\n"), (1, "c\n"), (2, "err\n"), (1, "d\n") })
            await writer.AddAsync(stream, Encoding.ASCII.GetBytes(text), CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);
        Assert.Equal(expected, Frames(output.ToArray()));
    }

    [Fact]
    public async Task AddAsync_ManyLines_SplitsFramesAt64KiBAndLosesNothing()
    {
        var output = new MemoryStream();
        var writer = new LogFrameWriter(output, raw: false, coalesce: true);
        var line = Encoding.ASCII.GetBytes(new string('x', 99) + "\n");
        for (var i = 0; i < 10_000; i++) await writer.AddAsync(1, line, CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);
        var frames = Frames(output.ToArray());
        Assert.Equal(1_000_000, frames.Sum(f => f.Length - 2));
        Assert.All(frames, f => Assert.True(f.Length - 2 <= 64 * 1024));
        Assert.True(frames.Count < 20);
    }

    [Fact]
    public async Task Raw_WritesPayloadOnly()
    {
        var output = new MemoryStream();
        var writer = new LogFrameWriter(output, raw: true, coalesce: true);
        await writer.AddAsync(1, "hi\n"u8.ToArray(), CancellationToken.None);
        await writer.AddAsync(2, "there\n"u8.ToArray(), CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);
        Assert.Equal("hi\nthere\n", Encoding.ASCII.GetString(output.ToArray()));
    }

    private static List<string> Frames(byte[] data)
    {
        var result = new List<string>();
        for (var i = 0; i < data.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(i + 4));
            result.Add($"{data[i]}:" + Encoding.ASCII.GetString(data, i + 8, length));
            i += 8 + length;
        }
        return result;
    }
}
