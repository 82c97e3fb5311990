namespace Berth.Services.Logs;

/// <summary>
/// Decodes a CRI log, <c>&lt;RFC3339Nano&gt; &lt;stdout|stderr&gt; &lt;P|F&gt; &lt;content&gt;</c> a line, P marking part of
/// a line: what conmon wrote, and what berth-monitor continues a conmon-started file with until it rotates.
/// </summary>
internal sealed class CriLogDecoder : ILogDecoder
{
    public int Decode(LogChunk chunk, LineAssembler lines, List<LogEntry> into)
    {
        var buffer = chunk.Buffer;
        var start = chunk.Start;
        while (true)
        {
            var nl = Array.IndexOf(buffer, (byte)'\n', start, chunk.End - start);
            if (nl < 0) break;
            var line = buffer.AsSpan(start, nl - start);
            start = nl + 1;
            if (!CriRecord.TryParse(line, out var time, out var stream, out var partial, out var content)) continue;
            if (partial) lines.AddLinePart(time, stream, content);
            else lines.AddLineEnd(time, stream, content, into);
        }
        // A full buffer without a single newline is one enormous line: no monitor writes those, so skip it.
        chunk.Start = start == chunk.Start && chunk.End == buffer.Length ? chunk.End : start;
        return 0;
    }
}
