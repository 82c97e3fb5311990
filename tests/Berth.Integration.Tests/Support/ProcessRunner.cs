using System.ComponentModel;
using System.Diagnostics;

namespace Berth.Integration.Tests.Support;

/// <summary>
/// Runs helper processes (our CLI, docker, python, curl, tmux) with a hard deadline. A process that overstays is
/// killed with its children, so a stuck client fails its test instead of hanging the run.
/// </summary>
public static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    // After the process exits, its pipes close unless a child it left behind still holds them.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    public static async Task<CommandResult> RunAsync(
        string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env = null,
        string? stdin = null, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var limit = timeout ?? DefaultTimeout;
        using var process = Start(fileName, args, env, redirectStdin: true);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process exited or closed stdin before reading it all; its exit code tells the rest.
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            var partialOut = await DrainAsync(stdout);
            var partialErr = await DrainAsync(stderr);
            throw new TimeoutException(
                $"{Describe(fileName, args)} did not finish within {limit.TotalSeconds:0.#} s and was killed.\n" +
                $"--- stdout ---\n{partialOut}\n--- stderr ---\n{partialErr}");
        }

        try
        {
            return new CommandResult(process.ExitCode, await stdout.WaitAsync(DrainTimeout, CancellationToken.None),
                await stderr.WaitAsync(DrainTimeout, CancellationToken.None));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Describe(fileName, args)} exited {process.ExitCode} but a child still holds its stdout/stderr open.");
        }
    }

    /// <summary>Starts a process whose stdout is read line by line while it runs (docker logs -f, docker attach).</summary>
    public static StreamingProcess StartStreaming(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env = null)
        => new(Start(fileName, args, env, redirectStdin: true), Describe(fileName, args));

    internal static Process Start(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env, bool redirectStdin)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = redirectStdin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                psi.Environment.Remove(key);
            }
            else
            {
                psi.Environment[key] = value;
            }
        }

        try
        {
            return Process.Start(psi) ?? throw new InvalidOperationException($"could not start {fileName}");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"could not start {Describe(fileName, args)}: {ex.Message}", ex);
        }
    }

    internal static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone: nothing to kill.
        }
    }

    internal static string Describe(string fileName, IEnumerable<string> args)
        => string.Join(' ', new[] { fileName }.Concat(args).Select(a => a.Contains(' ') ? $"'{a}'" : a));

    private static async Task<string> DrainAsync(Task<string> read)
    {
        try
        {
            return await read.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or ObjectDisposedException)
        {
            return "(unreadable)";
        }
    }
}
