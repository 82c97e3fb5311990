using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Client;

public sealed partial class BerthClient
{
    /// <summary>
    /// Opens a dedicated connection, sends <paramref name="route"/> as a POST with <c>Connection: Upgrade</c> and
    /// <c>Upgrade: tcp</c>, and returns the raw stream once the daemon answered <c>101</c>. Any other status becomes a
    /// <see cref="DockerApiException"/> (a 200 is docker's "unable to upgrade to tcp, received 200").
    /// </summary>
    public async Task<HijackedConnection> HijackAsync(string route, byte[]? jsonBody, CancellationToken ct)
    {
        Socket socket;
        Stream stream;
        try
        {
            (socket, stream) = await _endpoint.ConnectAsync(ct);
        }
        catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            throw new DaemonUnavailableException(_endpoint.ToString(), e);
        }
        try
        {
            var head = new StringBuilder();
            head.Append("POST ").Append(Path(route)).Append(" HTTP/1.1\r\n");
            head.Append("Host: ").Append(HostHeader).Append("\r\n");
            head.Append("User-Agent: Berth-Client/1.0 (linux)\r\n");
            if (jsonBody is not null) head.Append("Content-Type: application/json\r\n");
            head.Append("Content-Length: ").Append(jsonBody?.Length ?? 0).Append("\r\n");
            head.Append("Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
            var headBytes = Encoding.ASCII.GetBytes(head.ToString());
            var request = jsonBody is null ? headBytes : [.. headBytes, .. jsonBody];
            await stream.WriteAsync(request, ct);
            await stream.FlushAsync(ct);

            var (status, headers, leftover) = await ReadResponseHeadAsync(stream, ct);
            headers.TryGetValue("content-type", out var contentType);
            if (status == 101) return new HijackedConnection(socket, stream, new PrefixedStream(leftover, stream), contentType);

            var body = await ReadBodyAsync(stream, headers, leftover, ct);
            await stream.DisposeAsync();
            socket.Dispose();
            if (status is >= 200 and < 300) throw new DockerApiException((HttpStatusCode)status, $"unable to upgrade to tcp, received {status}");
            var media = contentType?.Split(';')[0].Trim();
            throw new DockerApiException((HttpStatusCode)status, ErrorMessage(media, body, (HttpStatusCode)status));
        }
        catch
        {
            await stream.DisposeAsync();
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads up to and including the blank line; bytes after it are returned, never lost.</summary>
    internal static async Task<(int Status, Dictionary<string, string> Headers, byte[] Leftover)> ReadResponseHeadAsync(Stream stream, CancellationToken ct)
    {
        var buf = new byte[8192];
        var filled = 0;
        int end;
        while ((end = IndexOfHeaderEnd(buf.AsSpan(0, filled))) < 0)
        {
            if (filled == buf.Length) Array.Resize(ref buf, buf.Length * 2);
            var n = await stream.ReadAsync(buf.AsMemory(filled), ct);
            if (n == 0) throw new IOException("connection closed before the response headers");
            filled += n;
        }
        var text = Encoding.ASCII.GetString(buf, 0, end);
        var lines = text.Split("\r\n");
        var statusParts = lines[0].Split(' ', 3);
        if (statusParts.Length < 2 || !int.TryParse(statusParts[1], out var status)) throw new IOException($"malformed status line: {lines[0]}");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return (status, headers, buf[(end + 4)..filled]);
    }

    private static int IndexOfHeaderEnd(ReadOnlySpan<byte> span) => span.IndexOf("\r\n\r\n"u8);

    private static async Task<string> ReadBodyAsync(Stream stream, Dictionary<string, string> headers, byte[] leftover, CancellationToken ct)
    {
        var ms = new MemoryStream();
        ms.Write(leftover);
        if (headers.TryGetValue("content-length", out var cl) && long.TryParse(cl, out var length))
        {
            var buf = new byte[4096];
            while (ms.Length < length)
            {
                var n = await stream.ReadAsync(buf.AsMemory(0, (int)Math.Min(buf.Length, length - ms.Length)), ct);
                if (n == 0) break;
                ms.Write(buf, 0, n);
            }
        }
        var text = Encoding.UTF8.GetString(ms.ToArray());
        if (headers.TryGetValue("transfer-encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            // Good enough for a short error body: take the first chunk's data line.
            var parts = text.Split("\r\n");
            text = parts.Length > 1 ? parts[1] : text;
        }
        return text;
    }
}
