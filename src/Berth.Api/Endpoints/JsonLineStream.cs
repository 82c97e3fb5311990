using System.Threading.Channels;
using Berth.Api.Http;
using Berth.Services.Images;

namespace Berth.Api.Endpoints;

/// <summary>
/// A progress stream (pull, push, load): lines may come from several transfer threads; one pump writes and flushes each in order.
/// Nothing is sent until the first line, so a failure before it can still be an ordinary HTTP error; after it, an in-band
/// <c>errorDetail</c> line.
/// </summary>
internal sealed class JsonLineStream
{
    private readonly HttpContext _ctx;
    private readonly Channel<byte[]> _lines = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;
    private int _written;

    public JsonLineStream(HttpContext ctx)
    {
        _ctx = ctx;
        _pump = PumpAsync();
    }

    public void Emit(byte[] line) => _lines.Writer.TryWrite(line);

    /// <summary>Runs <paramref name="work"/>; a failure before any output is rethrown (an HTTP error), a later one goes in-band.</summary>
    public async Task RunAsync(Func<Action<byte[]>, Task> work)
    {
        Exception? failure = null;
        try
        {
            await work(Emit).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure = e;
        }
        _lines.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
        if (failure is null) return;
        if (Volatile.Read(ref _written) == 0 && !_ctx.Response.HasStarted) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        if (failure is OperationCanceledException && _ctx.Aborted.IsCancellationRequested) return;
        await WriteAsync(ProgressJson.Error(failure.Message)).ConfigureAwait(false);
    }

    private async Task PumpAsync()
    {
        await foreach (var line in _lines.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (_ctx.Aborted.IsCancellationRequested) continue;   // client gone: drain without writing
            await WriteAsync(line).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(byte[] line)
    {
        try
        {
            if (Interlocked.Increment(ref _written) == 1) _ctx.Response.Headers.Set("Content-Type", "application/json");
            await _ctx.Response.Body.WriteAsync(line, _ctx.Aborted).ConfigureAwait(false);
            await _ctx.Response.FlushAsync(_ctx.Aborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client disconnected; the transfer goes on to its end (Docker does the same for a pull).
        }
    }
}
