using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace Berth.Api.Http;

/// <summary>
/// A small HTTP/1.1 server for the Engine API: keep-alive, chunked bodies both ways, immediate flushes and Docker's
/// connection hijack (101 UPGRADED with half-close support), which ASP.NET Core's server cannot do.
/// </summary>
public sealed class HttpServer : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

    private readonly Action<string>? _log;
    private readonly List<(Socket Socket, string? UnixPath, SslServerAuthenticationOptions? Tls)> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly ConcurrentDictionary<HttpConnection, byte> _connections = new();
    private readonly CancellationTokenSource _stop = new();
    private CancellationTokenSource? _acceptStop;
    private volatile DefaultHeaders _defaults = DefaultHeaders.Docker;
    private int _disposed;

    public HttpServer(RequestHandler handler, Action<string>? log = null)
    {
        Handler = handler;
        _log = log;
    }

    /// <summary>The local end points bound so far (a TCP listener on port 0 shows its real port here).</summary>
    public IReadOnlyList<EndPoint> EndPoints => [.. _listeners.Select(l => l.Socket.LocalEndPoint!)];

    internal RequestHandler Handler { get; }

    internal DefaultHeaders Defaults => _defaults;

    /// <summary>
    /// Sets (or with null removes) a header sent on every response. The defaults are Docker's:
    /// <c>Api-Version: 1.50</c>, <c>Docker-Experimental: false</c>, <c>Ostype: linux</c>, <c>Server: Docker/28.2.2 (linux)</c>.
    /// </summary>
    public void SetDefaultHeader(string name, string? value) => _defaults = _defaults.With(name, value);

    /// <summary>
    /// Listens on a unix socket: a stale socket file is removed (refusing if a live server answers on it), then the
    /// socket is bound, given <paramref name="mode"/> and optionally <paramref name="groupId"/>, and only then listens.
    /// </summary>
    public void ListenUnix(string path, UnixFileMode mode = (UnixFileMode)0b110_110_000, int? groupId = null)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        RemoveStaleSocket(path);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, mode);
            if (groupId is { } gid) UnixSocketInterop.ChangeGroup(path, gid);
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _listeners.Add((socket, path, null));
    }

    /// <summary>
    /// Listens on TCP: plain (tests, the registry) or, with <paramref name="tls"/>, TLS on every connection (see
    /// <see cref="TlsServerOptions"/>; the daemon refuses TCP without mutual TLS).
    /// </summary>
    public void ListenTcp(IPEndPoint endpoint, SslServerAuthenticationOptions? tls = null)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _listeners.Add((socket, null, tls));
    }

    /// <summary>Starts one accept loop per listener and returns; cancelling <paramref name="ct"/> stops accepting.</summary>
    public Task StartAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _acceptStop = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
        foreach (var (socket, _, tls) in _listeners) _acceptLoops.Add(AcceptLoopAsync(socket, tls, _acceptStop.Token));
        return Task.CompletedTask;
    }

    /// <summary>Stops listening, removes the socket files, closes every connection and waits (bounded) for handlers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var (socket, path, _) in _listeners)
        {
            socket.Dispose();
            if (path is not null) TryDelete(path);
        }
        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        var open = _connections.Keys.ToArray();
        foreach (var conn in open) conn.Abort();
        try
        {
            await Task.WhenAll(open.Select(c => c.Completion)).WaitAsync(ShutdownGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log($"http: {open.Count(c => !c.Completion.IsCompleted)} handler(s) still running after shutdown");
        }
        _acceptStop?.Dispose();
        _stop.Dispose();
    }

    internal void Log(string message) => _log?.Invoke(message);

    /// <summary>True when a log was given (berthd passes one at --log-level debug only): per-request timing lines.</summary>
    internal bool Tracing => _log is not null;

    internal void OnConnectionClosed(HttpConnection conn) => _connections.TryRemove(conn, out _);

    private async Task AcceptLoopAsync(Socket listener, SslServerAuthenticationOptions? tls, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException
                                      || e is SocketException { SocketErrorCode: SocketError.OperationAborted or SocketError.Interrupted })
            {
                break;
            }
            catch (SocketException e)
            {
                // EMFILE and friends: keep serving the connections we have and try again shortly.
                Log($"http: accept failed: {e.Message}");
                try
                {
                    await Task.Delay(100, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                continue;
            }
            if (client.AddressFamily != AddressFamily.Unix) client.NoDelay = true;
            var conn = new HttpConnection(this, client, tls);
            _connections.TryAdd(conn, 0);
            if (_disposed != 0)
            {
                conn.Abort();
                _connections.TryRemove(conn, out _);
                break;
            }
            conn.Start(_stop.Token);
        }
    }

    private static void RemoveStaleSocket(string path)
    {
        if (!File.Exists(path)) return;
        using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
                throw new IOException($"another server is already listening on {path}");
            }
            catch (SocketException)
            {
                // Nobody answers: a leftover from a daemon that did not shut down cleanly.
            }
        }
        File.Delete(path);
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log($"http: could not remove {path}: {e.Message}");
        }
    }
}
