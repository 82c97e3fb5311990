namespace Berth.Services.Logs;

/// <summary>
/// Turns what the monitor logged into log entries. Output arrives in pieces that need not end at a line's end; the
/// unfinished end of each stream waits here for the rest. With <c>splitLines</c> every entry is one line (for --tail,
/// --timestamps and following clients, which treat a frame as a line); without, an entry is all the complete lines of
/// one piece, which is what makes a plain `logs` of a big log cheap. Entries may point into the reader's buffer: they
/// are valid until the reader reads on.
/// </summary>
internal sealed class LineAssembler(bool splitLines)
{
    private readonly Pending[] _pending = [new(), new(), new()];

    /// <summary>A piece of output (several lines, or part of one) as the container wrote it.</summary>
    public void AddOutput(DateTimeOffset time, int stream, ReadOnlyMemory<byte> data, List<LogEntry> into)
    {
        var pending = _pending[stream];
        var last = data.Span.LastIndexOf((byte)'\n');
        if (last < 0)
        {
            pending.Append(data.Span, time);
            return;
        }
        var complete = data[..(last + 1)];
        if (pending.Count > 0)
        {
            var first = complete.Span.IndexOf((byte)'\n');
            into.Add(new LogEntry(time, stream, pending.Take(complete.Span[..(first + 1)])));
            complete = complete[(first + 1)..];
        }
        if (!splitLines)
        {
            if (complete.Length > 0) into.Add(new LogEntry(time, stream, complete));
        }
        else
        {
            while (complete.Length > 0)
            {
                var nl = complete.Span.IndexOf((byte)'\n');
                into.Add(new LogEntry(time, stream, complete[..(nl + 1)]));
                complete = complete[(nl + 1)..];
            }
        }
        pending.Append(data.Span[(last + 1)..], time);
    }

    /// <summary>A CRI "F" record: the end of a line, whose newline the format dropped.</summary>
    public void AddLineEnd(DateTimeOffset time, int stream, ReadOnlySpan<byte> content, List<LogEntry> into)
    {
        var pending = _pending[stream];
        pending.Append(content, time);
        pending.Append("\n"u8, time);
        into.Add(new LogEntry(time, stream, pending.Take([])));
    }

    /// <summary>A CRI "P" record: part of a line.</summary>
    public void AddLinePart(DateTimeOffset time, int stream, ReadOnlySpan<byte> content) => _pending[stream].Append(content, time);

    /// <summary>At the end of the log: unfinished lines are entries too (as Docker logs a line the container never ended).</summary>
    public void Finish(List<LogEntry> into)
    {
        for (var stream = 1; stream <= 2; stream++)
        {
            var pending = _pending[stream];
            if (pending.Count > 0) into.Add(new LogEntry(pending.Time, stream, pending.Take([])));
        }
    }

    private sealed class Pending
    {
        private byte[] _bytes = [];

        public int Count { get; private set; }

        public DateTimeOffset Time { get; private set; }

        public void Append(ReadOnlySpan<byte> data, DateTimeOffset time)
        {
            if (data.Length == 0) return;
            if (Count == 0) Time = time;
            if (Count + data.Length > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Count + data.Length));
            data.CopyTo(_bytes.AsSpan(Count));
            Count += data.Length;
        }

        /// <summary>What is pending plus the tail that completes it, as a new array; empties the pending bytes.</summary>
        public byte[] Take(ReadOnlySpan<byte> tail)
        {
            var result = new byte[Count + tail.Length];
            _bytes.AsSpan(0, Count).CopyTo(result);
            tail.CopyTo(result.AsSpan(Count));
            Count = 0;
            return result;
        }
    }
}
