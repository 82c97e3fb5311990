using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Berth.Tests.Api.Http;

/// <summary>A byte-level HTTP/1.1 client over a unix socket, so tests see exactly what the server sends.</summary>
internal sealed class RawHttpClient : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly byte[] _buf = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawHttpClient(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    public static async Task<RawHttpClient> ConnectAsync(string path)
    {
        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var cts = new CancellationTokenSource(Timeout);
        await s.ConnectAsync(new UnixDomainSocketEndPoint(path), cts.Token);
        return new RawHttpClient(s);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await Socket.SendAsync(bytes, SocketFlags.None, cts.Token);
    }

    public void ShutdownWrite() => Socket.Shutdown(SocketShutdown.Send);

    public async Task<RawResponse> RequestAsync(string request, bool head = false)
    {
        await SendAsync(request);
        return await ReadResponseAsync(head);
    }

    /// <summary>Reads a whole response: head plus a body framed by Content-Length, chunks, or nothing (HEAD, 204, 304).</summary>
    public async Task<RawResponse> ReadResponseAsync(bool head = false)
    {
        var (status, headers, rawHead) = await ReadHeadAsync();
        var r = new RawResponse(status, headers, rawHead);
        if (head || status is 204 or 304 || status < 200) return r;
        if (r.Header("Transfer-Encoding") == "chunked")
        {
            var body = new MemoryStream();
            while (await ReadChunkAsync() is { Length: > 0 } chunk) body.Write(chunk);
            r.Body = body.ToArray();
        }
        else if (r.Header("Content-Length") is { } cl)
        {
            r.Body = await ReadExactAsync(int.Parse(cl, CultureInfo.InvariantCulture));
        }
        else
        {
            r.Body = await ReadToEndAsync();
        }
        return r;
    }

    public async Task<(int Status, List<KeyValuePair<string, string>> Headers, string RawHead)> ReadHeadAsync()
    {
        var raw = new StringBuilder();
        var statusLine = await ReadLineAsync();
        raw.Append(statusLine).Append("\r\n");
        var parts = statusLine.Split(' ', 3);
        Assert.Equal("HTTP/1.1", parts[0]);
        var headers = new List<KeyValuePair<string, string>>();
        while (true)
        {
            var line = await ReadLineAsync();
            raw.Append(line).Append("\r\n");
            if (line.Length == 0) break;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(line[..colon], line[(colon + 1)..].Trim()));
        }
        return (int.Parse(parts[1], CultureInfo.InvariantCulture), headers, raw.ToString());
    }

    /// <summary>One chunk of a chunked body; empty for the terminating chunk (whose trailer line is consumed too).</summary>
    public async Task<byte[]> ReadChunkAsync()
    {
        var size = int.Parse(await ReadLineAsync(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var data = size == 0 ? [] : await ReadExactAsync(size);
        Assert.Equal("", await ReadLineAsync());
        return data;
    }

    public async Task<string> ReadLineAsync()
    {
        var line = new List<byte>();
        while (true)
        {
            if (_start == _end && !await FillAsync()) throw new EndOfStreamException("connection closed mid-line");
            var b = _buf[_start++];
            if (b == '\n') break;
            line.Add(b);
        }
        if (line.Count > 0 && line[^1] == '\r') line.RemoveAt(line.Count - 1);
        return Encoding.UTF8.GetString(line.ToArray());
    }

    public async Task<byte[]> ReadExactAsync(int count)
    {
        var result = new byte[count];
        var got = 0;
        while (got < count)
        {
            if (_start == _end && !await FillAsync()) throw new EndOfStreamException($"connection closed after {got} of {count} bytes");
            var n = Math.Min(count - got, _end - _start);
            Array.Copy(_buf, _start, result, got, n);
            _start += n;
            got += n;
        }
        return result;
    }

    public async Task<byte[]> ReadToEndAsync()
    {
        var ms = new MemoryStream();
        while (true)
        {
            if (_start == _end && !await FillAsync()) return ms.ToArray();
            ms.Write(_buf, _start, _end - _start);
            _start = _end;
        }
    }

    /// <summary>True when the server closed (or half-closed) its side: the next read returns 0.</summary>
    public async Task<bool> IsAtEofAsync() => _start == _end && !await FillAsync();

    public void Dispose() => Socket.Dispose();

    private async Task<bool> FillAsync()
    {
        _start = _end = 0;
        using var cts = new CancellationTokenSource(Timeout);
        int n;
        try
        {
            n = await Socket.ReceiveAsync(_buf.AsMemory(), SocketFlags.None, cts.Token);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            n = 0;
        }
        _end = n;
        return n > 0;
    }
}

internal sealed class RawResponse(int status, List<KeyValuePair<string, string>> headers, string rawHead)
{
    public int Status { get; } = status;
    public List<KeyValuePair<string, string>> Headers { get; } = headers;
    public string RawHead { get; } = rawHead;
    public byte[] Body { get; set; } = [];
    public string Text => Encoding.UTF8.GetString(Body);

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
