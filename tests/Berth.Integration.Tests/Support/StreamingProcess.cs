using System.Diagnostics;
using System.Text;

namespace Berth.Integration.Tests.Support;

/// <summary>A running helper process whose output is read as it comes; disposing kills it and its children.</summary>
public sealed class StreamingProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _description;
    private readonly StringBuilder _stderr = new();
    private readonly Task _stderrPump;

    internal StreamingProcess(Process process, string description)
    {
        _process = process;
        _description = description;
        _process.StandardInput.Close();
        _stderrPump = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int n;
            while ((n = await _process.StandardError.ReadAsync(buffer)) > 0)
            {
                lock (_stderr)
                {
                    _stderr.Append(buffer, 0, n);
                }
            }
        });
    }

    public bool HasExited => _process.HasExited;

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>The next stdout line, or null at end of stream; throws TimeoutException if none comes in time.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _process.StandardOutput.ReadLineAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_description}: no output line within {timeout.TotalSeconds:0.#} s; stderr: {Stderr}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        ProcessRunner.KillTree(_process);
        try
        {
            await _stderrPump.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or ObjectDisposedException)
        {
            // Best effort: the process is dead; a reader still blocked on a pipe a grandchild holds is abandoned.
        }

        _process.Dispose();
    }
}
