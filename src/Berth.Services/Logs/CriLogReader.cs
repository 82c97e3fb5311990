using System.Runtime.CompilerServices;

namespace Berth.Services.Logs;

/// <summary>
/// Reads the container log that the monitor (conmon) writes in the CRI format:
/// <c>&lt;RFC3339Nano&gt; &lt;stdout|stderr&gt; &lt;P|F&gt; &lt;content&gt;</c>, one record a line, where P marks a partial
/// line continued by the next record. Files are read in 1 MiB chunks and records streamed as they are parsed (only
/// <c>tail</c> keeps a window of entries), so a log of hundreds of megabytes streams at disk speed in bounded memory.
/// Follow mode polls for growth until the container stops.
/// </summary>
public sealed class CriLogReader(string path)
{
    private const int ChunkSize = 1 << 20;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public async IAsyncEnumerable<LogEntry> ReadAsync(LogOptions options, Func<bool> isRunning, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var batch in ReadBatchesAsync(options, isRunning, ct))
            foreach (var e in batch) yield return e;
    }

    /// <summary>
    /// The same entries in batches: each batch is what one read of the file produced, so a writer can coalesce a
    /// batch into few frames and flush after it (in follow mode, the next batch may be a while).
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<LogEntry>> ReadBatchesAsync(LogOptions options, Func<bool> isRunning, [EnumeratorCancellation] CancellationToken ct)
    {
        // Rotated files (path.9 … path.1, plain or gzipped) hold older lines; all are opened at once (LogFiles).
        var files = LogFiles.OpenAll(path);
        long offset = 0;
        var pending = new PartialLine();
        var chunk = new Chunk(ChunkSize);
        Queue<LogEntry>? window = options.Tail is { } t and >= 0 ? new Queue<LogEntry>(Math.Min(t, 100_000) + 1) : null;
        try
        {
            foreach (var (stream, live) in files)
            {
                chunk.Reset();
                while (true)
                {
                    var (entries, more) = await ReadChunkAsync(stream, chunk, pending, ct);
                    if (window is null)
                    {
                        if (options.Since is not null || options.Until is not null) entries.RemoveAll(e => !InRange(e, options));
                        if (entries.Count > 0) yield return entries;
                    }
                    else if (options.Tail > 0)
                    {
                        foreach (var e in entries)
                        {
                            if (!InRange(e, options)) continue;
                            if (window.Count == options.Tail) window.Dequeue();
                            window.Enqueue(e);
                        }
                    }
                    if (!more) break;
                }
                // An incomplete last line of the live file is read again when following; conmon ends rotated files whole.
                if (live) offset = stream.Position - chunk.Unparsed;
            }
        }
        finally
        {
            foreach (var (stream, _) in files) await stream.DisposeAsync();
        }
        if (window is { Count: > 0 }) yield return [.. window];
        if (!options.Follow) yield break;

        while (!ct.IsCancellationRequested)
        {
            var running = isRunning();
            if (File.Exists(path))
            {
                await using var stream = LogFiles.Open(path);
                if (stream.Length < offset) offset = 0; // rotated underneath us: start the new file from its beginning
                stream.Position = offset;
                chunk.Reset();
                while (true)
                {
                    var (entries, more) = await ReadChunkAsync(stream, chunk, pending, ct);
                    var stop = options.Until is { } until && entries.Count > 0 && entries[^1].Time > until;
                    entries.RemoveAll(e => !InRange(e, options));
                    if (entries.Count > 0) yield return entries;
                    if (stop) yield break;
                    if (!more) break;
                }
                offset = stream.Position - chunk.Unparsed;
            }
            if (!running) yield break;
            if (options.Until is { } u && DateTimeOffset.UtcNow > u) yield break;
            try { await Task.Delay(PollInterval, ct); }
            catch (OperationCanceledException) { yield break; }
        }
    }

    private static bool InRange(LogEntry e, LogOptions o) => (o.Since is null || e.Time >= o.Since) && (o.Until is null || e.Time <= o.Until);

    /// <summary>
    /// Fills the chunk from the stream after what it still holds unparsed, and parses the complete records in it; a
    /// trailing incomplete line stays in the chunk for the next call. Works on any stream (gzip ones cannot seek).
    /// <c>more</c> is false at the end of the data.
    /// </summary>
    private static async ValueTask<(List<LogEntry> Entries, bool More)> ReadChunkAsync(Stream stream, Chunk chunk, PartialLine pending, CancellationToken ct)
    {
        chunk.Compact();
        var buffer = chunk.Buffer;
        while (chunk.End < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(chunk.End), ct);
            if (n == 0) break;
            chunk.End += n;
        }
        var full = chunk.End == buffer.Length;
        var entries = new List<LogEntry>();
        var consumed = 0;
        while (true)
        {
            var nl = Array.IndexOf(buffer, (byte)'\n', consumed, chunk.End - consumed);
            if (nl < 0) break;
            var line = buffer.AsSpan(consumed, nl - consumed);
            consumed = nl + 1;
            if (!CriRecord.TryParse(line, out var time, out var streamId, out var partial, out var content)) continue;
            if (partial)
            {
                pending.Append(content);
                continue;
            }
            entries.Add(new LogEntry(time, streamId, pending.Take(content)));
        }
        // A full buffer without a single newline is one enormous line: conmon never writes those, so skip it.
        chunk.Start = consumed == 0 && full ? chunk.End : consumed;
        return (entries, full);
    }

    /// <summary>A read buffer and the part of it [Start, End) not parsed yet.</summary>
    private sealed class Chunk(int size)
    {
        public readonly byte[] Buffer = new byte[size];
        public int Start;
        public int End;

        public int Unparsed => End - Start;

        public void Reset() => Start = End = 0;

        public void Compact()
        {
            if (Start == 0) return;
            System.Buffer.BlockCopy(Buffer, Start, Buffer, 0, End - Start);
            End -= Start;
            Start = 0;
        }
    }

    private sealed class PartialLine
    {
        private byte[] _bytes = [];
        private int _count;

        public void Append(ReadOnlySpan<byte> data)
        {
            if (_count + data.Length > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _count + data.Length));
            data.CopyTo(_bytes.AsSpan(_count));
            _count += data.Length;
        }

        /// <summary>The pending partial records plus this final one, with the newline the CRI format dropped.</summary>
        public byte[] Take(ReadOnlySpan<byte> tail)
        {
            var result = new byte[_count + tail.Length + 1];
            _bytes.AsSpan(0, _count).CopyTo(result);
            tail.CopyTo(result.AsSpan(_count));
            result[^1] = (byte)'\n';
            _count = 0;
            return result;
        }
    }
}
