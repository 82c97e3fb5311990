namespace Berth.Services.Logs;

/// <summary>A read buffer of a log file and the part of it [Start, End) not parsed yet.</summary>
internal sealed class LogChunk(int size)
{
    public byte[] Buffer { get; private set; } = new byte[size];

    public int Start { get; set; }

    public int End { get; set; }

    public int Unparsed => End - Start;

    public ReadOnlySpan<byte> Span => Buffer.AsSpan(Start, End - Start);

    public void Reset() => Start = End = 0;

    /// <summary>Moves the unparsed bytes to the front, making room to read more; invalidates slices of the old bytes.</summary>
    public void Compact()
    {
        if (Start == 0) return;
        System.Buffer.BlockCopy(Buffer, Start, Buffer, 0, End - Start);
        End -= Start;
        Start = 0;
    }

    /// <summary>Makes room for a record larger than the buffer.</summary>
    public void EnsureCapacity(int bytes)
    {
        if (bytes <= Buffer.Length) return;
        var bigger = new byte[Math.Max(bytes, Buffer.Length * 2)];
        Buffer.AsSpan(Start, End - Start).CopyTo(bigger);
        End -= Start;
        Start = 0;
        Buffer = bigger;
    }

    /// <summary>Fills the buffer from the stream after what it holds; false at the end of the data.</summary>
    public async ValueTask<bool> FillAsync(Stream stream, CancellationToken ct)
    {
        Compact();
        while (End < Buffer.Length)
        {
            var n = await stream.ReadAsync(Buffer.AsMemory(End), ct);
            if (n == 0) return false;
            End += n;
        }
        return true;
    }
}
