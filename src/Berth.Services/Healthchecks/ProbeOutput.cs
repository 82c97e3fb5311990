using System.Text;

namespace Berth.Services.Healthchecks;

/// <summary>A probe's stdout and stderr together, capped as moby caps them (4 KiB); the rest is read and dropped so the probe never blocks.</summary>
internal sealed class ProbeOutput(int limit)
{
    private readonly Lock _lock = new();
    private readonly MemoryStream _buffer = new();

    public string Text
    {
        get { lock (_lock) return Encoding.UTF8.GetString(_buffer.GetBuffer(), 0, (int)_buffer.Length); }
    }

    public async Task DrainAsync(Stream stream)
    {
        var chunk = new byte[4096];
        int n;
        while ((n = await stream.ReadAsync(chunk)) > 0)
        {
            lock (_lock)
            {
                var room = limit - (int)_buffer.Length;
                if (room > 0) _buffer.Write(chunk, 0, Math.Min(room, n));
            }
        }
    }
}
