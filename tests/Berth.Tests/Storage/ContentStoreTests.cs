using System.Text;
using Berth.Core.Errors;
using Berth.Core.Ids;
using Berth.Storage;

namespace Berth.Tests.Storage;

public sealed class ContentStoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string[] VisibleFiles() =>
        [.. Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/ingest/", StringComparison.Ordinal))];

    [Fact]
    public async Task Write_ThenRead_RoundTrips()
    {
        var store = new ContentStore(_dir.Path);
        var data = Encoding.UTF8.GetBytes("hello blob");
        var d = await store.WriteAsync(new MemoryStream(data), Digest.Sha256(data), CancellationToken.None);
        Assert.Equal(Digest.Sha256(data), d);
        Assert.True(store.Exists(d));
        Assert.Equal(data.Length, store.Size(d));
        Assert.Equal(Path.Join(_dir.Path, "blobs", "sha256", d.Encoded), store.PathOf(d));
        await using var s = store.OpenRead(d);
        using var ms = new MemoryStream();
        await s.CopyToAsync(ms);
        Assert.Equal(data, ms.ToArray());
    }

    [Fact]
    public async Task Write_DigestMismatch_ThrowsAndLeavesNothing()
    {
        var store = new ContentStore(_dir.Path);
        var wrong = Digest.Sha256("other"u8);
        await Assert.ThrowsAsync<FailedPreconditionException>(() => store.WriteAsync(new MemoryStream("data"u8.ToArray()), wrong, CancellationToken.None));
        Assert.False(store.Exists(wrong));
        Assert.False(store.Exists(Digest.Sha256("data"u8)));
        Assert.Empty(Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Write_StreamFailsMidway_NoPartialFile()
    {
        var store = new ContentStore(_dir.Path);
        await Assert.ThrowsAsync<IOException>(() => store.WriteAsync(new FailingStream(100_000), null, CancellationToken.None));
        Assert.Empty(Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Write_Cancelled_NoPartialFile()
    {
        var store = new ContentStore(_dir.Path);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.WriteAsync(new MemoryStream(new byte[10]), null, cts.Token));
        Assert.Empty(VisibleFiles());
        Assert.Empty(Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Write_SameContentTwice_IsIdempotent()
    {
        var store = new ContentStore(_dir.Path);
        var a = await store.WriteAsync(new MemoryStream("x"u8.ToArray()), null, CancellationToken.None);
        var b = await store.WriteAsync(new MemoryStream("x"u8.ToArray()), null, CancellationToken.None);
        Assert.Equal(a, b);
        Assert.Single(VisibleFiles());
    }

    [Fact]
    public void OpenRead_Missing_ThrowsNotFound()
    {
        var store = new ContentStore(_dir.Path);
        Assert.Throws<NotFoundException>(() => store.OpenRead(Digest.Sha256("nope"u8)));
        Assert.Throws<NotFoundException>(() => store.Size(Digest.Sha256("nope"u8)));
    }

    [Fact]
    public async Task Delete_RemovesBlob()
    {
        var store = new ContentStore(_dir.Path);
        var d = await store.WriteAsync(new MemoryStream("x"u8.ToArray()), null, CancellationToken.None);
        store.Delete(d);
        Assert.False(store.Exists(d));
    }

    private sealed class FailingStream(int failAfter) : Stream
    {
        private int _read;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_read >= failAfter) throw new IOException("connection reset");
            var n = Math.Min(count, 4096);
            _read += n;
            return n;
        }
    }
}
