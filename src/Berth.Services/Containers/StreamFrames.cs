using System.Buffers.Binary;

namespace Berth.Services.Containers;

/// <summary>Docker's stdcopy framing: an 8-byte header <c>[stream,0,0,0,size(be32)]</c> per chunk when there is no TTY.</summary>
public static class StreamFrames
{
    public static async ValueTask WriteAsync(Stream output, int stream, ReadOnlyMemory<byte> payload, bool raw, CancellationToken ct)
    {
        if (raw)
        {
            await output.WriteAsync(payload, ct);
            return;
        }
        var buffer = new byte[8 + payload.Length];
        buffer[0] = (byte)stream;
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), (uint)payload.Length);
        payload.Span.CopyTo(buffer.AsSpan(8));
        await output.WriteAsync(buffer, ct);
    }
}
