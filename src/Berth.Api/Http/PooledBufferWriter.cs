using System.Buffers;

namespace Berth.Api.Http;

/// <summary>An <see cref="IBufferWriter{T}"/> over ArrayPool memory, for serializing a response before its length is known.</summary>
internal sealed class PooledBufferWriter(int initialCapacity = 1024) : IBufferWriter<byte>, IDisposable
{
    private byte[] _buf = ArrayPool<byte>.Shared.Rent(initialCapacity);
    private int _len;

    public ReadOnlyMemory<byte> WrittenMemory => _buf.AsMemory(0, _len);

    public void Advance(int count) => _len += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buf.AsMemory(_len);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buf.AsSpan(_len);
    }

    public void Dispose()
    {
        var buf = _buf;
        _buf = [];
        if (buf.Length > 0) ArrayPool<byte>.Shared.Return(buf);
    }

    private void Ensure(int sizeHint)
    {
        if (_buf.Length - _len >= Math.Max(sizeHint, 1)) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buf.Length * 2, _len + sizeHint));
        _buf.AsSpan(0, _len).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buf);
        _buf = bigger;
    }
}
