using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Berth.Services.Logs;

/// <summary>
/// Reads the container log that the monitor (conmon) writes in the CRI format:
/// <c>&lt;RFC3339Nano&gt; &lt;stdout|stderr&gt; &lt;P|F&gt; &lt;content&gt;</c>, one record a line, where P marks a partial
/// line continued by the next record. Follow mode polls for growth until the container stops.
/// </summary>
public sealed class CriLogReader(string path)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public async IAsyncEnumerable<LogEntry> ReadAsync(LogOptions options, Func<bool> isRunning, [EnumeratorCancellation] CancellationToken ct)
    {
        // Rotated files (path.1 …) hold older lines; read them first.
        var files = RotatedFiles().Append(path).Where(File.Exists).ToList();
        var history = new List<LogEntry>();
        long offset = 0;
        var pending = new PartialLine();
        foreach (var file in files)
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
            foreach (var entry in ReadRecords(stream, pending)) history.Add(entry);
            if (file == path) offset = stream.Position;
        }
        IEnumerable<LogEntry> initial = history.Where(e => InRange(e, options));
        if (options.Tail is { } tail and >= 0) initial = initial.TakeLast(tail);
        foreach (var e in initial) yield return e;
        if (!options.Follow) yield break;

        while (!ct.IsCancellationRequested)
        {
            var running = isRunning();
            if (File.Exists(path))
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
                if (stream.Length < offset) offset = 0; // rotated underneath us: start the new file from its beginning
                stream.Position = offset;
                foreach (var entry in ReadRecords(stream, pending))
                {
                    if (options.Until is { } until && entry.Time > until) yield break;
                    if (InRange(entry, options)) yield return entry;
                }
                offset = stream.Position;
            }
            if (!running) yield break;
            if (options.Until is { } u && DateTimeOffset.UtcNow > u) yield break;
            try { await Task.Delay(PollInterval, ct); }
            catch (OperationCanceledException) { yield break; }
        }
    }

    private IEnumerable<string> RotatedFiles()
    {
        for (var i = 9; i >= 1; i--) yield return $"{path}.{i}";
    }

    private static bool InRange(LogEntry e, LogOptions o) => (o.Since is null || e.Time >= o.Since) && (o.Until is null || e.Time <= o.Until);

    /// <summary>Reads complete records from the stream's position; a trailing incomplete line is left unread.</summary>
    private static IEnumerable<LogEntry> ReadRecords(FileStream stream, PartialLine pending)
    {
        var start = stream.Position;
        var length = stream.Length - start;
        if (length <= 0) yield break;
        var buffer = new byte[length];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = stream.Read(buffer, read, buffer.Length - read);
            if (n == 0) break;
            read += n;
        }
        var consumed = 0;
        while (true)
        {
            var nl = Array.IndexOf(buffer, (byte)'\n', consumed, read - consumed);
            if (nl < 0) break;
            var line = buffer.AsMemory(consumed, nl - consumed);
            consumed = nl + 1;
            if (TryParse(line, out var time, out var streamId, out var partial, out var content))
            {
                if (partial)
                {
                    pending.Append(content.Span);
                    continue;
                }
                var full = pending.Take(content.Span, appendNewline: true);
                yield return new LogEntry(time, streamId, full);
            }
        }
        stream.Position = start + consumed;
    }

    private static bool TryParse(ReadOnlyMemory<byte> line, out DateTimeOffset time, out int stream, out bool partial, out ReadOnlyMemory<byte> content)
    {
        time = default; stream = 1; partial = false; content = default;
        var span = line.Span;
        var s1 = span.IndexOf((byte)' ');
        if (s1 < 0) return false;
        var rest = span[(s1 + 1)..];
        var s2 = rest.IndexOf((byte)' ');
        if (s2 < 0) return false;
        var tag = rest[(s2 + 1)..];
        if (!DateTimeOffset.TryParse(Encoding.ASCII.GetString(span[..s1]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time)) return false;
        stream = rest[..s2].SequenceEqual("stderr"u8) ? 2 : 1;
        if (tag.Length >= 1 && (tag[0] == (byte)'P' || tag[0] == (byte)'F'))
        {
            partial = tag[0] == (byte)'P';
            var contentStart = s1 + 1 + s2 + 1 + (tag.Length >= 2 ? 2 : 1);
            content = line[Math.Min(contentStart, line.Length)..];
        }
        else
        {
            content = line[(s1 + 1 + s2 + 1)..];
        }
        return true;
    }

    private sealed class PartialLine
    {
        private readonly List<byte> _bytes = [];

        public void Append(ReadOnlySpan<byte> data) => _bytes.AddRange(data);

        public byte[] Take(ReadOnlySpan<byte> tail, bool appendNewline)
        {
            var result = new byte[_bytes.Count + tail.Length + (appendNewline ? 1 : 0)];
            _bytes.CopyTo(result);
            tail.CopyTo(result.AsSpan(_bytes.Count));
            if (appendNewline) result[^1] = (byte)'\n';
            _bytes.Clear();
            return result;
        }
    }
}
