namespace Berth.Api.Http;

/// <summary>
/// The raw connection after a 101 (attach, exec start): stdin bytes in, stream bytes out. A read returning 0 means the
/// client half-closed (stdin EOF; the CLI does it at once without -i), not that it left: writes keep working. Disposing
/// closes the connection; the server also closes it when the handler returns.
/// </summary>
public sealed class HijackedStream : Stream
{
    private readonly HttpConnection _conn;
    private readonly ConnectionInput _input;
    private readonly ConnectionTransport _transport;

    internal HijackedStream(HttpConnection conn, ConnectionInput input, ConnectionTransport transport)
    {
        _conn = conn;
        _input = input;
        _transport = transport;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Half-closes our side (TLS close_notify, then shutdown SHUT_WR) so the client reads EOF once all output is out.</summary>
    public void ShutdownWrite() => _transport.ShutdownSend();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            _conn.SignalAborted();
            throw;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return _input.Read(buffer);
        }
        catch (IOException)
        {
            _conn.SignalAborted();
            throw;
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _conn.SendAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _conn.SendAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => _conn.Send(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => _conn.Send(buffer);

    // Writes go straight to the socket.
    public override void Flush() { }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _conn.Abort();
        base.Dispose(disposing);
    }
}
