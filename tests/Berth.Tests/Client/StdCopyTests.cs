using System.Text;
using Berth.Client;

namespace Berth.Tests.Client;

public sealed class StdCopyTests
{
    [Fact]
    public async Task CopyAsync_SystemErrorFrame_Throws()
    {
        var input = new MemoryStream([.. BerthClientTests.Frame(1, "ok"), .. BerthClientTests.Frame(3, "boom")]);
        var stdout = new MemoryStream();
        var ex = await Assert.ThrowsAsync<IOException>(() => StdCopy.CopyAsync(input, stdout, Stream.Null, CancellationToken.None));
        Assert.Equal("Error from daemon in stream: boom", ex.Message);
        Assert.Equal("ok", Encoding.UTF8.GetString(stdout.ToArray()));
    }

    [Fact]
    public async Task CopyAsync_ZeroLengthFrames_AreTolerated()
    {
        var input = new MemoryStream([.. BerthClientTests.Frame(1, ""), .. BerthClientTests.Frame(2, "e"), .. BerthClientTests.Frame(1, "o")]);
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        await StdCopy.CopyAsync(input, stdout, stderr, CancellationToken.None);
        Assert.Equal("o", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal("e", Encoding.UTF8.GetString(stderr.ToArray()));
    }

    [Fact]
    public void TryReadFrame_Incomplete_ReturnsFalse_Malformed_Throws()
    {
        var frame = BerthClientTests.Frame(2, "abc");
        Assert.False(StdCopy.TryReadFrame(frame.AsSpan(0, 5), out _, out _, out _));
        Assert.False(StdCopy.TryReadFrame(frame.AsSpan(0, 9), out _, out _, out _));
        Assert.True(StdCopy.TryReadFrame(frame, out var s, out var off, out var len));
        Assert.Equal((StdStream.Stderr, 8, 3), (s, off, len));
        Assert.Throws<InvalidDataException>(() => StdCopy.TryReadFrame(new byte[] { 9, 0, 0, 0, 0, 0, 0, 0 }, out _, out _, out _));
    }
}
