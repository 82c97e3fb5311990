using System.Text;

namespace Berth.Cli.Commands.Compose;

/// <summary>A write-only stream that cuts what a container prints into lines and hands each to the shared log printer,
/// so lines of different services never interleave mid-line.</summary>
internal sealed class LinePrefixStream(ComposeLogPrinter printer, string prefix) : Stream
{
    private readonly MemoryStream _pending = new();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            var nl = buffer.IndexOf((byte)'\n');
            if (nl < 0)
            {
                _pending.Write(buffer);
                return;
            }
            _pending.Write(buffer[..nl]);
            Emit();
            buffer = buffer[(nl + 1)..];
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    /// <summary>Prints a last line that had no newline.</summary>
    public void Complete()
    {
        if (_pending.Length > 0) Emit();
    }

    private void Emit()
    {
        var text = Encoding.UTF8.GetString(_pending.GetBuffer(), 0, (int)_pending.Length).TrimEnd('\r');
        _pending.SetLength(0);
        printer.Line(prefix, text);
    }

    public override void Flush()
    {
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
