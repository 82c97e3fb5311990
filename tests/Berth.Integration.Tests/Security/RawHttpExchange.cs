using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Berth.Integration.Tests.Security;

/// <summary>
/// One request as raw bytes on a fresh unix-socket connection, and whatever comes back until the daemon closes it (or a
/// deadline). Incomplete requests half-close at once so the daemon sees the end instead of waiting for more.
/// </summary>
internal static class RawHttpExchange
{
    public static async Task<(int? Status, string Head, string Body)> SendAsync(string socketPath, byte[] request, bool halfClose, TimeSpan timeout)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var cts = new CancellationTokenSource(timeout);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cts.Token);
        var received = new MemoryStream();
        try
        {
            await socket.SendAsync(request, SocketFlags.None, cts.Token);
            if (halfClose) socket.Shutdown(SocketShutdown.Send);
            var buf = new byte[16384];
            while (true)
            {
                var n = await socket.ReceiveAsync(buf, SocketFlags.None, cts.Token);
                if (n == 0) break;
                received.Write(buf, 0, n);
                if (received.Length > 4 << 20) break;
            }
        }
        catch (SocketException)
        {
            // A reset after the daemon refused the rest of a bad request: judge what arrived before it.
        }
        catch (OperationCanceledException)
        {
            // The deadline: the connection stayed open (keep-alive after an answer, or no answer at all). Judge what
            // arrived; no status line at all is reported by the caller as "no HTTP answer".
        }
        var text = Encoding.UTF8.GetString(received.ToArray());
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = end < 0 ? text : text[..end];
        var body = end < 0 ? "" : text[(end + 4)..];
        int? status = head.StartsWith("HTTP/1.", StringComparison.Ordinal) && head.Length >= 12 && int.TryParse(head.AsSpan(9, 3), out var s) ? s : null;
        return (status, head, body);
    }

    /// <summary>The JSON error body's message (chunked framing tolerated), or null when there is none.</summary>
    public static string? ErrorMessage(string body)
    {
        var start = body.IndexOf('{', StringComparison.Ordinal);
        if (start < 0) return null;
        try
        {
            // Only the first JSON value: pipelined requests in the fuzz input get further responses after it.
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(body[start..]), new JsonReaderOptions { AllowMultipleValues = true });
            using var doc = JsonDocument.ParseValue(ref reader);
            return doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
