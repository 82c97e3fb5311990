using Berth.Runtime.Monitor;

namespace Berth.Services.Logs;

/// <summary>Decodes berth-monitor's log records (<see cref="LogRecordFormat"/>); the entries point into the chunk.</summary>
internal sealed class RecordLogDecoder : ILogDecoder
{
    /// <summary>True once a header was not a header: the file is damaged from there on and is not read further.</summary>
    public bool Damaged { get; private set; }

    public int Decode(LogChunk chunk, LineAssembler lines, List<LogEntry> into)
    {
        while (!Damaged && chunk.Unparsed >= LogRecordFormat.HeaderSize)
        {
            if (!LogRecordFormat.TryReadHeader(chunk.Span, out var stream, out var length, out var time))
            {
                Damaged = true;
                chunk.Start = chunk.End;
                break;
            }
            var size = LogRecordFormat.HeaderSize + length;
            if (chunk.Unparsed < size) return size;
            lines.AddOutput(time, stream, chunk.Buffer.AsMemory(chunk.Start + LogRecordFormat.HeaderSize, length), into);
            chunk.Start += size;
        }
        return 0;
    }
}
