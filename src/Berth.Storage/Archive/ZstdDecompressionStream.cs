using Berth.Storage.Interop;

namespace Berth.Storage.Archive;

/// <summary>
/// Reads a zstd stream (one or more frames, skippable frames ignored) and yields the plain bytes, through libzstd's streaming
/// decoder. Bad or truncated input is an <see cref="InvalidDataException"/>, as GZipStream reports it.
/// </summary>
internal sealed class ZstdDecompressionStream : Stream
{
    private const int InputSize = 128 * 1024 + 512;   // ZSTD_DStreamInSize(): one block and its header
    private readonly Stream _inner;
    private readonly byte[] _input = new byte[InputSize];
    private nint _dctx;
    private int _inPos, _inLen;
    private bool _eof;
    private bool _frameOpen;   // part of a frame was consumed and not yet finished

    public ZstdDecompressionStream(Stream inner)
    {
        _inner = inner;
        _dctx = Zstd.CreateDCtx();
        if (_dctx == 0) throw new OutOfMemoryException("ZSTD_createDCtx failed");
        // Accept the long windows of `zstd --long` (up to 2 GiB), as containerd's decoder does for layers.
        Check(Zstd.DCtxSetParameter(_dctx, Zstd.DWindowLogMax, 31));
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        while (true)
        {
            if (_inPos == _inLen && !_eof) Fill(_inner.Read(_input, 0, _input.Length));
            if (Step(buffer, out var n)) return n;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return 0;
        while (true)
        {
            if (_inPos == _inLen && !_eof) Fill(await _inner.ReadAsync(_input, cancellationToken).ConfigureAwait(false));
            if (Step(buffer.Span, out var n)) return n;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Fill(int n)
    {
        _inPos = 0;
        _inLen = n;
        _eof = n == 0;
    }

    /// <summary>Decodes what input there is into <paramref name="output"/>; true with the byte count when the read can return.</summary>
    private unsafe bool Step(Span<byte> output, out int produced)
    {
        ObjectDisposedException.ThrowIf(_dctx == 0, this);
        nuint ret;
        fixed (byte* src = _input)
        fixed (byte* dst = output)
        {
            var inBuf = new Zstd.InBuffer { Src = (nint)src, Size = (nuint)_inLen, Pos = (nuint)_inPos };
            var outBuf = new Zstd.OutBuffer { Dst = (nint)dst, Size = (nuint)output.Length, Pos = 0 };
            ret = Zstd.DecompressStream(_dctx, &outBuf, &inBuf);
            Check(ret);
            var consumed = (int)inBuf.Pos - _inPos;
            _inPos = (int)inBuf.Pos;
            produced = (int)outBuf.Pos;
            // ret 0: a frame ended here and everything it holds was flushed; otherwise more input (or output room) is due. A
            // call that moved nothing (no input at a frame boundary) says nothing about the frame.
            if (consumed > 0 || produced > 0) _frameOpen = ret != 0;
        }
        if (produced > 0) return true;
        if (_eof && _inPos == _inLen)
        {
            if (_frameOpen) throw new InvalidDataException("zstd: unexpected end of compressed data");
            return true;
        }
        return false;
    }

    private static void Check(nuint code)
    {
        if (Zstd.IsError(code) != 0) throw new InvalidDataException("zstd: " + Zstd.ErrorName(code));
    }

    protected override void Dispose(bool disposing)
    {
        if (_dctx != 0)
        {
            Zstd.FreeDCtx(_dctx);
            _dctx = 0;
        }
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }

    ~ZstdDecompressionStream() => Dispose(false);
}
