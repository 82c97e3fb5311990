using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Api.Http;

/// <summary>
/// The response to one request. The first write to <see cref="Body"/> sends the headers with it (chunked unless the
/// handler set Content-Length: docker-py reads a non-chunked stream as a single JSON result); later writes are
/// buffered (16 KiB) until the buffer fills, <see cref="FlushAsync"/>, or the handler returns. A handler that writes
/// nothing, or uses <see cref="WriteJsonAsync"/>/<see cref="WriteTextAsync"/>, gets a Content-Length.
/// </summary>
public sealed class HttpResponse
{
    private const int ChunkPrefix = 10;   // room for up to 8 hex digits + CRLF in front of the data
    private const int ChunkSuffix = 7;    // CRLF after the data + the "0\r\n\r\n" terminator
    private const int BodyCapacity = 16 * 1024;

    private static readonly byte[] Terminator = "0\r\n\r\n"u8.ToArray();

    private readonly HttpConnection _conn;
    private readonly HttpRequest _request;
    private byte[]? _body;
    private int _bodyLen;
    private long _written;
    private long _declared = -1;
    private Framing _framing;
    private ResponseBodyStream? _stream;
    private int _statusCode = 200;

    internal HttpResponse(HttpConnection conn, HttpRequest request)
    {
        _conn = conn;
        _request = request;
    }

    private enum Framing { Undecided, None, Identity, Chunked, CloseDelimited }

    public int StatusCode
    {
        get => _statusCode;
        set
        {
            if (HasStarted) throw new InvalidOperationException("the response has already started");
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 100);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 999);
            _statusCode = value;
        }
    }

    /// <summary>Response headers; read-only once <see cref="HasStarted"/>. Default headers are added on send.</summary>
    public HeaderCollection Headers { get; } = new();

    /// <summary>True once the status line and headers went out on the socket.</summary>
    public bool HasStarted { get; private set; }

    /// <summary>The body; the first send carries the headers. Without a Content-Length header the body is chunked.</summary>
    public Stream Body => _stream ??= new ResponseBodyStream(this);

    internal bool IsHijacked { get; private set; }

    /// <summary>False when the framing ends with the connection or the body broke its promised length.</summary>
    internal bool KeepAlive { get; private set; } = true;

    /// <summary>Sends the headers and any buffered body now; streams (wait, events, progress) call this per message.</summary>
    public Task FlushAsync(CancellationToken ct)
    {
        ThrowIfHijacked();
        return SendPendingAsync(final: false, ct).AsTask();
    }

    /// <summary>Writes <paramref name="value"/> as the whole response: Content-Type exactly "application/json", Content-Length set.</summary>
    public async Task WriteJsonAsync<T>(T value, JsonTypeInfo<T> type, int status = 200, CancellationToken ct = default)
    {
        ThrowIfWritten();
        using var buf = new PooledBufferWriter();
        // The writer takes the encoder from the type's options: moby writes JSON without HTML escaping.
        using (var writer = new Utf8JsonWriter(buf, new JsonWriterOptions { Encoder = type.Options.Encoder, SkipValidation = true }))
            JsonSerializer.Serialize(writer, value, type);
        buf.GetSpan(1)[0] = (byte)'\n';   // Go's json.Encoder ends every value with a newline; moby replies through it
        buf.Advance(1);
        await WriteWholeAsync(buf.WrittenMemory, "application/json", status, ct).ConfigureAwait(false);
    }

    public async Task WriteTextAsync(string text, string contentType, int status, CancellationToken ct)
    {
        ThrowIfWritten();
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var n = Encoding.UTF8.GetBytes(text, bytes);
            await WriteWholeAsync(bytes.AsMemory(0, n), contentType, status, ct).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>
    /// Answers 101 and hands over the raw connection (attach, exec start). The request body, if any, is drained first
    /// so the stream starts at the client's first raw byte. The server closes the connection when the handler returns.
    /// </summary>
    public async Task<HijackedStream> UpgradeAsync(string contentType, CancellationToken ct)
    {
        ThrowIfWritten();
        await _conn.DrainBeforeUpgradeAsync(_request, ct).ConfigureAwait(false);
        Headers.Set("Content-Type", contentType);
        Headers.Set("Connection", "Upgrade");
        Headers.Set("Upgrade", "tcp");
        _statusCode = 101;
        var defaults = _conn.Server.Defaults;
        var head = ArrayPool<byte>.Shared.Rent(ResponseHeadWriter.MaxLength("UPGRADED", Headers, defaults));
        try
        {
            var n = ResponseHeadWriter.Write(head, 101, "UPGRADED", Headers, defaults);
            HasStarted = true;
            IsHijacked = true;
            Headers.MakeReadOnly();
            await _conn.SendAsync(head.AsMemory(0, n), ct).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
        return _conn.Hijack();
    }

    /// <summary>A write through <see cref="Body"/>: the first one commits the headers and goes out at once.</summary>
    internal async ValueTask WriteBodyAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        await WriteAsync(data, ct).ConfigureAwait(false);
        if (!HasStarted) await SendPendingAsync(final: false, ct).ConfigureAwait(false);
    }

    internal async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        CheckWrite(data.Length);
        if (_request.IsHead)
        {
            _written += data.Length;   // HEAD: counted for the Content-Length, never sent
            return;
        }
        if (HasStarted && _bodyLen == 0 && data.Length >= BodyCapacity && _framing is Framing.Identity or Framing.CloseDelimited)
        {
            _written += data.Length;   // big writes (image save, export) skip the copy
            await _conn.SendAsync(data, ct).ConfigureAwait(false);
            return;
        }
        while (!data.IsEmpty)
        {
            var space = BodyCapacity - _bodyLen;
            if (space == 0)
            {
                await SendPendingAsync(final: false, ct).ConfigureAwait(false);
                continue;
            }
            var n = Math.Min(space, data.Length);
            data.Span[..n].CopyTo((_body ??= ArrayPool<byte>.Shared.Rent(ChunkPrefix + BodyCapacity + ChunkSuffix)).AsSpan(ChunkPrefix + _bodyLen));
            _bodyLen += n;
            _written += n;
            data = data[n..];
        }
    }

    /// <summary>Called by the connection after the handler: sends what is buffered and ends the body.</summary>
    internal async ValueTask CompleteAsync(CancellationToken ct)
    {
        if (IsHijacked) return;
        if (HasStarted && _declared >= 0 && _written < _declared && !_request.IsHead)
        {
            // The handler promised more than it wrote; the client would wait forever for the rest.
            KeepAlive = false;
            _conn.MarkBroken();
        }
        await SendPendingAsync(final: true, ct).ConfigureAwait(false);
    }

    /// <summary>Forgets everything buffered so an error response can replace it; only valid before <see cref="HasStarted"/>.</summary>
    internal void Reset()
    {
        _bodyLen = 0;
        _written = 0;
        _declared = -1;
        _statusCode = 200;
        Headers.Clear();
    }

    internal void Release()
    {
        if (_body is { } b)
        {
            _body = null;
            ArrayPool<byte>.Shared.Return(b);
        }
    }

    private async Task WriteWholeAsync(ReadOnlyMemory<byte> bytes, string contentType, int status, CancellationToken ct)
    {
        StatusCode = status;
        if (!BodyAllowed(status)) return;
        Headers.Set("Content-Type", contentType);
        Headers.Set("Content-Length", bytes.Length.ToString(CultureInfo.InvariantCulture));
        await WriteAsync(bytes, ct).ConfigureAwait(false);
    }

    private async ValueTask SendPendingAsync(bool final, CancellationToken ct)
    {
        byte[]? rented = null;
        ReadOnlyMemory<byte> toSend;
        if (!HasStarted)
        {
            DecideFraming(final);
            var defaults = _conn.Server.Defaults;
            var reason = ResponseHeadWriter.ReasonPhrase(_statusCode);
            rented = ArrayPool<byte>.Shared.Rent(ResponseHeadWriter.MaxLength(reason, Headers, defaults) + ChunkPrefix + _bodyLen + ChunkSuffix);
            var p = ResponseHeadWriter.Write(rented, _statusCode, reason, Headers, defaults);
            HasStarted = true;
            Headers.MakeReadOnly();
            p += WriteFramedBody(rented.AsSpan(p), final);
            toSend = rented.AsMemory(0, p);
        }
        else
        {
            toSend = FramedBufferedBody(final);
        }
        _bodyLen = 0;
        try
        {
            if (!toSend.IsEmpty) await _conn.SendAsync(toSend, ct).ConfigureAwait(false);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void DecideFraming(bool final)
    {
        var cl = Headers.Get("Content-Length");
        if (cl is not null) _declared = ParseLength(cl);
        var bodyAllowed = BodyAllowed(_statusCode);
        if (_request.IsHead)
        {
            _framing = Framing.None;
            if (final && cl is null && bodyAllowed) Headers.Set("Content-Length", _written.ToString(CultureInfo.InvariantCulture));
        }
        else if (!bodyAllowed) _framing = Framing.None;
        else if (cl is not null) _framing = Framing.Identity;
        else if (final)
        {
            Headers.Set("Content-Length", _bodyLen.ToString(CultureInfo.InvariantCulture));
            _declared = _bodyLen;
            _framing = Framing.Identity;
        }
        else if (_request.MinorVersion == 1)
        {
            Headers.Set("Transfer-Encoding", "chunked");
            _framing = Framing.Chunked;
        }
        else
        {
            _framing = Framing.CloseDelimited;
            KeepAlive = false;
        }
        if ((!KeepAlive || !_request.KeepAlive) && !Headers.Has("Connection")) Headers.Set("Connection", "close");
        else if (Headers.ContainsToken("Connection", "close")) KeepAlive = false;
    }

    private int WriteFramedBody(Span<byte> dest, bool final)
    {
        var data = _body is null ? [] : _body.AsSpan(ChunkPrefix, _bodyLen);
        var p = 0;
        if (_framing == Framing.Chunked)
        {
            if (!data.IsEmpty)
            {
                Utf8Formatter.TryFormat(data.Length, dest, out p, new StandardFormat('x'));
                dest[p++] = (byte)'\r';
                dest[p++] = (byte)'\n';
                data.CopyTo(dest[p..]);
                p += data.Length;
                dest[p++] = (byte)'\r';
                dest[p++] = (byte)'\n';
            }
            if (final)
            {
                "0\r\n\r\n"u8.CopyTo(dest[p..]);
                p += 5;
            }
        }
        else if (_framing is Framing.Identity or Framing.CloseDelimited)
        {
            data.CopyTo(dest);
            p = data.Length;
        }
        return p;
    }

    private ReadOnlyMemory<byte> FramedBufferedBody(bool final)
    {
        if (_framing is Framing.Identity or Framing.CloseDelimited) return _body.AsMemory(ChunkPrefix, _bodyLen);
        if (_framing != Framing.Chunked) return default;
        if (_bodyLen == 0) return final ? Terminator : default;
        // The chunk header goes right-aligned into the space reserved in front of the data.
        Span<byte> hex = stackalloc byte[8];
        Utf8Formatter.TryFormat(_bodyLen, hex, out var h, new StandardFormat('x'));
        var start = ChunkPrefix - h - 2;
        var body = _body!;
        hex[..h].CopyTo(body.AsSpan(start));
        body[ChunkPrefix - 2] = (byte)'\r';
        body[ChunkPrefix - 1] = (byte)'\n';
        var end = ChunkPrefix + _bodyLen;
        body[end++] = (byte)'\r';
        body[end++] = (byte)'\n';
        if (final)
        {
            "0\r\n\r\n"u8.CopyTo(body.AsSpan(end));
            end += 5;
        }
        return body.AsMemory(start, end - start);
    }

    private void CheckWrite(int count)
    {
        ThrowIfHijacked();
        if (!_request.IsHead && (HasStarted ? _framing == Framing.None : !BodyAllowed(_statusCode)))
            throw new InvalidOperationException($"status {_statusCode} does not allow a response body");
        if (!HasStarted && _declared < 0 && Headers.Get("Content-Length") is { } cl) _declared = ParseLength(cl);
        if (_declared >= 0 && _written + count > _declared)
            throw new InvalidOperationException($"response body exceeds its Content-Length of {_declared}");
    }

    private void ThrowIfWritten()
    {
        ThrowIfHijacked();
        if (HasStarted || _written > 0) throw new InvalidOperationException("the response has already started");
    }

    private void ThrowIfHijacked()
    {
        if (IsHijacked) throw new InvalidOperationException("the connection was hijacked; use the HijackedStream");
    }

    private static long ParseLength(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new InvalidOperationException($"invalid Content-Length response header '{value}'");

    private static bool BodyAllowed(int status) => status is >= 200 and not 204 and not 304;
}
