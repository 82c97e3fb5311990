using System.Runtime.CompilerServices;
using Berth.Runtime.Monitor;

namespace Berth.Services.Logs;

/// <summary>
/// Reads a container's log: the rotated files (path.9 … path.1, plain or gzipped) and the live one, each in
/// berth-monitor's record format (<see cref="LogRecordFormat"/>) or, for a file conmon started, the CRI format. Files
/// are read in 2 MiB chunks and entries streamed as they are decoded (only <c>tail</c> keeps a window of lines), so a
/// log of hundreds of megabytes streams at disk speed in bounded memory. Follow mode polls for growth until the
/// container stops. The entries of a batch are valid until the next batch is asked for.
/// </summary>
public sealed class ContainerLogReader(string path)
{
    private const int ChunkSize = 2 << 20;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public async IAsyncEnumerable<LogEntry> ReadAsync(LogOptions options, Func<bool> isRunning, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var batch in ReadBatchesAsync(options, isRunning, ct))
            foreach (var e in batch) yield return e;
    }

    /// <summary>
    /// The entries in batches: each batch is what one chunk of the file produced, so a writer can coalesce a batch
    /// into few frames and flush after it (in follow mode, the next batch may be a while).
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<LogEntry>> ReadBatchesAsync(LogOptions options, Func<bool> isRunning, [EnumeratorCancellation] CancellationToken ct)
    {
        var lines = new LineAssembler(splitLines: options.Follow || options.Timestamps || options.Tail is not null);
        var chunk = new LogChunk(ChunkSize);
        Queue<LogEntry>? window = options.Tail is { } t and >= 0 ? new Queue<LogEntry>(Math.Min(t, 100_000) + 1) : null;
        var live = new LiveFile();
        // Rotated files hold older lines; all are opened at once under the rotation lock (LogFiles).
        var files = LogFiles.OpenAll(path);
        try
        {
            foreach (var (stream, isLive) in files)
            {
                var file = isLive ? live : new LiveFile();
                file.Offset = 0;
                file.Decoder = null;
                await foreach (var entries in ReadFileAsync(stream, file, chunk, lines, ct))
                {
                    if (window is null)
                    {
                        if (options.Since is not null || options.Until is not null) entries.RemoveAll(e => !InRange(e, options));
                        if (entries.Count > 0) yield return entries;
                    }
                    else if (options.Tail > 0)
                    {
                        Keep(window, entries, options);
                    }
                }
            }
        }
        finally
        {
            foreach (var (stream, _) in files) await stream.DisposeAsync();
        }
        if (!options.Follow || !isRunning())
        {
            var rest = Unfinished(lines, options);
            if (window is not null) Keep(window, rest, options);
            else if (rest.Count > 0) yield return rest;
        }
        if (window is { Count: > 0 }) yield return [.. window];
        if (!options.Follow) yield break;

        while (!ct.IsCancellationRequested)
        {
            var running = isRunning();
            if (File.Exists(path))
            {
                await using var stream = LogFiles.Open(path);
                // Rotated underneath us: the new file is read from its beginning, its format found anew.
                if (stream.Length < live.Offset) (live.Offset, live.Decoder) = (0, null);
                stream.Position = live.Offset;
                await foreach (var entries in ReadFileAsync(stream, live, chunk, lines, ct))
                {
                    var stop = options.Until is { } until && entries.Count > 0 && entries[^1].Time > until;
                    entries.RemoveAll(e => !InRange(e, options));
                    if (entries.Count > 0) yield return entries;
                    if (stop) yield break;
                }
            }
            if (!running)
            {
                var rest = Unfinished(lines, options);
                if (rest.Count > 0) yield return rest;
                yield break;
            }
            if (options.Until is { } u && DateTimeOffset.UtcNow > u) yield break;
            try { await Task.Delay(PollInterval, ct); }
            catch (OperationCanceledException) { yield break; }
        }
    }

    private static void Keep(Queue<LogEntry> window, List<LogEntry> entries, LogOptions options)
    {
        foreach (var e in entries)
        {
            if (!InRange(e, options)) continue;
            if (window.Count == options.Tail) window.Dequeue();
            // The window outlives the chunk the entry points into.
            window.Enqueue(e with { Content = e.Content.ToArray() });
        }
    }

    /// <summary>At the end of the log: the lines the container never finished, within the time range.</summary>
    private static List<LogEntry> Unfinished(LineAssembler lines, LogOptions options)
    {
        var rest = new List<LogEntry>();
        lines.Finish(rest);
        rest.RemoveAll(e => !InRange(e, options));
        return rest;
    }

    private static bool InRange(LogEntry e, LogOptions o) => (o.Since is null || e.Time >= o.Since) && (o.Until is null || e.Time <= o.Until);

    /// <summary>
    /// Decodes a file from its current position, a chunk at a time. The file's format is found from its first bytes;
    /// <see cref="LiveFile.Offset"/> ends after the last complete record, where following goes on.
    /// </summary>
    private static async IAsyncEnumerable<List<LogEntry>> ReadFileAsync(Stream stream, LiveFile file, LogChunk chunk, LineAssembler lines, [EnumeratorCancellation] CancellationToken ct)
    {
        chunk.Reset();
        var more = true;
        while (more)
        {
            more = await chunk.FillAsync(stream, ct);
            var consumedBefore = chunk.Start;
            if (file.Decoder is null)
            {
                file.Decoder = SelectDecoder(chunk); // only ever at a file's start: offsets move only once it is known
                if (file.Decoder is null) yield break; // too few bytes yet to tell
            }
            var entries = new List<LogEntry>();
            var need = file.Decoder.Decode(chunk, lines, entries);
            file.Offset += chunk.Start - consumedBefore;
            if (need > 0) chunk.EnsureCapacity(need);
            if (entries.Count > 0) yield return entries;
            if (file.Decoder is RecordLogDecoder { Damaged: true }) yield break;
        }
    }

    /// <summary>The decoder for the file whose first bytes the chunk holds; null while too few bytes tell.</summary>
    private static ILogDecoder? SelectDecoder(LogChunk chunk)
    {
        var head = chunk.Span;
        var magic = LogRecordFormat.Magic;
        if (head.Length >= magic.Length)
        {
            if (!head.StartsWith(magic)) return new CriLogDecoder();
            chunk.Start += magic.Length;
            return new RecordLogDecoder();
        }
        return magic.StartsWith(head) ? null : new CriLogDecoder();
    }

    /// <summary>Where reading a file stopped and how it is encoded.</summary>
    private sealed class LiveFile
    {
        public long Offset { get; set; }

        public ILogDecoder? Decoder { get; set; }
    }
}
