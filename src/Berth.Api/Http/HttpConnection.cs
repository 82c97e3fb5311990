using System.Buffers;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text.Json;
using Berth.Api;

namespace Berth.Api.Http;

/// <summary>
/// One client connection: reads request heads, runs the handler, completes the response, drains the unread body, and
/// repeats while keep-alive holds. After an upgrade the handler owns the raw connection until it returns.
/// </summary>
internal sealed class HttpConnection
{
    private const long DrainLimit = 1024 * 1024;
    private static readonly byte[] ContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();

    private readonly ConnectionTransport _transport;
    private readonly ConnectionInput _input;
    private readonly Lock _lock = new();
    private CancellationTokenSource? _abortCts;
    private bool _aborted;
    private bool _broken;
    private bool _hijacked;
    private HttpRequest? _current;   // the request whose handler runs; only it may start the hang-up monitor
    private bool _monitoring;
    private bool _continueSent;

    public HttpConnection(HttpServer server, Socket socket, SslServerAuthenticationOptions? tls = null)
    {
        Server = server;
        _transport = new ConnectionTransport(socket, tls);
        _input = new ConnectionInput(_transport);
    }

    public HttpServer Server { get; }

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start(CancellationToken serverCt) => Completion = Task.Run(() => RunAsync(serverCt), CancellationToken.None);

    /// <summary>Closes the socket at once (server shutdown, hijacked stream disposed); pending I/O fails.</summary>
    public void Abort()
    {
        _transport.Dispose();
        SignalAborted();
    }

    /// <summary>The framing of this connection is lost (a broken body or a short response): close after the response.</summary>
    public void MarkBroken() => _broken = true;

    public CancellationToken GetAbortedToken()
    {
        CancellationToken token;
        lock (_lock)
        {
            if (_abortCts is null)
            {
                _abortCts = new CancellationTokenSource();
                if (_aborted) _abortCts.Cancel();
            }
            token = _abortCts.Token;
        }
        MaybeStartMonitor();
        return token;
    }

    public void OnRequestBodyComplete()
    {
        if (Volatile.Read(ref _abortCts) is not null) MaybeStartMonitor();
    }

    public void SignalAborted()
    {
        CancellationTokenSource? cts;
        lock (_lock)
        {
            if (_aborted) return;
            _aborted = true;
            cts = _abortCts;
        }
        try
        {
            cts?.Cancel();
        }
        catch (AggregateException e)
        {
            Server.Log($"an Aborted callback threw: {e.InnerException}");
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        try
        {
            await _transport.SendAsync(data, ct).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            OnSendFailed();
            throw new IOException("the client connection is gone: " + e.Message, e);
        }
        catch (OperationCanceledException)
        {
            _broken = true;   // part of the bytes may be out: the framing is unknown now
            throw;
        }
    }

    public void Send(ReadOnlySpan<byte> data)
    {
        try
        {
            _transport.Send(data);
        }
        catch (IOException e)
        {
            OnSendFailed();
            throw new IOException("the client connection is gone: " + e.Message, e);
        }
    }

    public async ValueTask SendContinueIfExpectedAsync(CancellationToken ct)
    {
        if (_current is not { ExpectsContinue: true } || _continueSent || _input.BufferedCount > 0) return;
        _continueSent = true;
        await SendAsync(ContinueResponse, ct).ConfigureAwait(false);
    }

    public async ValueTask DrainBeforeUpgradeAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.BodyStream is { IsComplete: false } body && !await body.DrainAsync(DrainLimit, ct).ConfigureAwait(false))
            throw new InvalidOperationException("the request body could not be drained before the upgrade");
    }

    public HijackedStream Hijack()
    {
        lock (_lock) _hijacked = true;
        return new HijackedStream(this, _input, _transport);
    }

    private async Task RunAsync(CancellationToken serverCt)
    {
        try
        {
            await _transport.HandshakeAsync(serverCt).ConfigureAwait(false);
            while (!serverCt.IsCancellationRequested)
            {
                try
                {
                    var head = await ReadHeadAsync(serverCt).ConfigureAwait(false);
                    if (head is null || !await ServeAsync(head, serverCt).ConfigureAwait(false)) break;
                }
                catch (HttpParseException e)
                {
                    await SendErrorAndCloseAsync(e.Status, e.Message).ConfigureAwait(false);
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client went away or the server is stopping: nothing left to answer.
        }
        catch (Exception e)
        {
            Server.Log($"http: connection failed: {e}");
        }
        finally
        {
            await CloseAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<RequestHead?> ReadHeadAsync(CancellationToken ct)
    {
        while (true)
        {
            // A TLS ClientHello (record type 0x16) on a plain listener: clients that try HTTPS first (Docker with an insecure
            // registry does) must get a prompt failure to fall back on, not a parser waiting for a line end that never comes.
            if (!_transport.IsTls && _input.BufferedCount > 0 && _input.Buffered[0] == 0x16) return null;
            if (RequestParser.TryParse(_input.Buffered, out var head, out var consumed))
            {
                _input.Consume(consumed);
                return head;
            }
            _input.Consume(consumed);   // leading blank lines
            if (!await _input.FillAsync(ct).ConfigureAwait(false)) return null;   // closed, possibly mid-head: nobody to answer
        }
    }

    private async ValueTask<bool> ServeAsync(RequestHead head, CancellationToken serverCt)
    {
        var request = CreateRequest(head);
        var ctx = new HttpContext(this, request);
        // --log-level debug: one line per request with its handler time (where a `docker run` spends its time).
        var started = Server.Tracing ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        lock (_lock)
        {
            _current = request;
            _monitoring = false;
            _continueSent = false;
        }
        try
        {
            await Server.Handler(ctx).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (!await HandleFailureAsync(ctx, e).ConfigureAwait(false))
            {
                ctx.Response.Release();
                return false;
            }
        }
        finally
        {
            lock (_lock) _current = null;
            if (started != 0)
                Server.Log($"http: {request.Method} {request.Path} {ctx.Response.StatusCode} in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:F1} ms");
        }

        var response = ctx.Response;
        if (response.IsHijacked) return false;
        try
        {
            await response.CompleteAsync(serverCt).ConfigureAwait(false);
        }
        finally
        {
            response.Release();
        }
        if (_broken || _aborted || !response.KeepAlive || !request.KeepAlive) return false;
        // The client still waits for a 100 Continue before sending the body we did not read: close instead.
        if (request.ExpectsContinue && !_continueSent && !request.BodyComplete) return false;
        return request.BodyStream is not { IsComplete: false } body || await body.DrainAsync(DrainLimit, serverCt).ConfigureAwait(false);
    }

    private HttpRequest CreateRequest(RequestHead head)
    {
        var headers = head.Headers;
        var te = headers.Get("Transfer-Encoding");
        var lengths = headers.GetAll("Content-Length");
        RequestBodyStream? body = null;
        if (te is not null)
        {
            if (!te.AsSpan().Trim().Equals("chunked", StringComparison.OrdinalIgnoreCase))
                throw new HttpParseException(501, $"unsupported transfer encoding: \"{te}\"");
            if (lengths.Count > 0) throw new HttpParseException(400, "both Transfer-Encoding and Content-Length");
            body = new RequestBodyStream(this, _input, 0, chunked: true);
        }
        else if (lengths.Count > 0)
        {
            if (!long.TryParse(lengths[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
                throw new HttpParseException(400, $"bad Content-Length \"{lengths[0]}\"");
            foreach (var other in lengths)
                if (other != lengths[0]) throw new HttpParseException(400, "conflicting Content-Length headers");
            if (length > 0) body = new RequestBodyStream(this, _input, length, chunked: false);
        }
        headers.MakeReadOnly();
        return new HttpRequest(head, body ?? Stream.Null, body);
    }

    /// <summary>Answers a handler exception if nothing was sent yet; false when the connection must close instead.</summary>
    private async ValueTask<bool> HandleFailureAsync(HttpContext ctx, Exception e)
    {
        var response = ctx.Response;
        if (response.IsHijacked || _aborted)
        {
            if (!_aborted) Server.Log($"http: {ctx.Request.Method} {ctx.Request.Path} failed after hijack: {e}");
            return false;
        }
        if (response.HasStarted)
        {
            // Closing without the final chunk tells the client the stream broke.
            Server.Log($"http: {ctx.Request.Method} {ctx.Request.Path} failed after the response started: {e}");
            return false;
        }
        Server.Log($"http: {ctx.Request.Method} {ctx.Request.Path} failed: {e}");
        response.Reset();
        await response.WriteJsonAsync(new ErrorResponse(e.Message), ApiErrorJsonContext.Wire.ErrorResponse, 500).ConfigureAwait(false);
        return true;
    }

    private async ValueTask SendErrorAndCloseAsync(int status, string message)
    {
        var headers = new HeaderCollection();
        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorResponse(message), ApiErrorJsonContext.Wire.ErrorResponse);
        headers.Add("Content-Type", "application/json");
        headers.Add("Content-Length", (body.Length + 1).ToString(CultureInfo.InvariantCulture));
        headers.Add("Connection", "close");
        var reason = ResponseHeadWriter.ReasonPhrase(status);
        var buf = ArrayPool<byte>.Shared.Rent(ResponseHeadWriter.MaxLength(reason, headers, Server.Defaults) + body.Length + 1);
        try
        {
            var n = ResponseHeadWriter.Write(buf, status, reason, headers, Server.Defaults);
            body.CopyTo(buf.AsSpan(n));
            n += body.Length;
            buf[n++] = (byte)'\n';
            await SendAsync(buf.AsMemory(0, n), CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The client left before reading why.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buf);
        }
    }

    private void MaybeStartMonitor()
    {
        lock (_lock)
        {
            // The socket is free for a background read only once the body needs no more of it (wait and events bodies
            // are small and arrive with the head).
            if (_monitoring || _aborted || _hijacked || _current is not { BodyFullyBuffered: true, WantsUpgrade: false }) return;
            _monitoring = true;
            // Under the lock, so the connection loop cannot be reading yet; a hang-up is reported from the pool.
            _input.StartMonitor(SignalAborted);
        }
    }

    private void OnSendFailed()
    {
        _broken = true;
        SignalAborted();
    }

    private async ValueTask CloseAsync()
    {
        // Half-close first so a TCP client still reads our last response instead of a reset.
        try
        {
            if (!_aborted || !_transport.IsTls) _transport.ShutdownSend();
        }
        finally
        {
            // Whatever the half-close did, the socket must go: a leaked one leaves the client waiting forever.
            _transport.Dispose();
            SignalAborted();
        }
        await _input.ReleaseAsync().ConfigureAwait(false);
        Server.OnConnectionClosed(this);
    }
}
