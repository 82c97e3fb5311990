using System.Diagnostics;
using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Runtime.Cli;

/// <summary>The one wrapper around the OCI runtime binary (crun or runc): path resolved once, argument lists, stderr in errors.</summary>
internal sealed class OciRuntimeCli(string path, string root, string? execPath = null)
{
    /// <summary>What to execute: the binary itself, or a sealed copy of it (<see cref="SealedRuntimeBinary"/>).</summary>
    internal string Path { get; } = execPath ?? path;

    /// <summary>The binary's own file name ("crun", "runc"), for messages and feature checks.</summary>
    internal string Name { get; } = System.IO.Path.GetFileName(path);

    internal string Root { get; } = root;

    internal bool Exists(string id) => Directory.Exists(System.IO.Path.Combine(Root, id));

    internal async Task<string> RunAsync(string id, CancellationToken ct, params string[] args)
    {
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--root=" + Root);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {Path}");
        // Process.Dispose leaves streams the caller has touched open (they close only when finalized): each runtime
        // call would hold two pipe fds until the next GC. Dispose them here.
        using var stdoutReader = p.StandardOutput;
        using var stderrReader = p.StandardError;
        var stdout = stdoutReader.ReadToEndAsync(ct);
        var stderr = stderrReader.ReadToEndAsync(ct);
        try
        {
            await p.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            // A runtime call that hangs must not outlive the caller's interest in it.
            try { p.Kill(); } catch (InvalidOperationException) { }
            throw;
        }
        var err = (await stderr).Trim();
        var output = await stdout;
        if (p.ExitCode == 0) return output;
        if (!Exists(id)) throw new NotFoundException($"No such container: {id}");
        throw new EngineException(ErrorKind.Unknown, $"{Name} {args.FirstOrDefault()} {id}: {(err.Length > 0 ? err : output.Trim())}");
    }

    internal Task StartAsync(string id, CancellationToken ct)
        => IsCrun && TryStartThroughFifo(id) ? Task.CompletedTask : RunAsync(id, ct, "start", id);

    internal bool IsCrun => Name.StartsWith("crun", StringComparison.Ordinal);

    /// <summary>
    /// What `crun start` does when the spec has no poststart hooks and no notify socket (ours never do): open the state
    /// dir's exec.fifo for writing, unlink it, write one byte. Saves a process spawn on the start path. Non-blocking open
    /// fails with ENXIO when nothing waits on the fifo (the init died); then the real command reports the error.
    /// </summary>
    private unsafe bool TryStartThroughFifo(string id)
    {
        var fifo = System.IO.Path.Combine(Root, id, "exec.fifo");
        var fd = Interop.Libc.Open(fifo, Interop.Libc.O_WRONLY | Interop.Libc.O_NONBLOCK | Interop.Libc.O_CLOEXEC, 0);
        if (fd < 0) return false;
        try
        {
            File.Delete(fifo);
            byte zero = 0;
            return Interop.Libc.Write(fd, &zero, 1) == 1;
        }
        finally
        {
            Interop.Libc.Close(fd);
        }
    }

    internal Task KillAsync(string id, int signal, CancellationToken ct) => RunAsync(id, ct, "kill", id, signal.ToString(System.Globalization.CultureInfo.InvariantCulture));

    internal Task PauseAsync(string id, CancellationToken ct) => RunAsync(id, ct, "pause", id);

    internal Task ResumeAsync(string id, CancellationToken ct) => RunAsync(id, ct, "resume", id);

    internal Task UpdateAsync(string id, string resourcesFile, CancellationToken ct) => RunAsync(id, ct, "update", "--resources=" + resourcesFile, id);

    internal async Task DeleteAsync(string id, CancellationToken ct)
    {
        if (!Exists(id)) return;
        try { await RunAsync(id, ct, "delete", "--force", id); }
        catch (NotFoundException) { }
    }

    internal async Task<RuntimeStatus> StateAsync(string id, CancellationToken ct)
    {
        if (!Exists(id)) return new RuntimeStatus(RuntimeState.Unknown, 0);
        string json;
        try { json = await RunAsync(id, ct, "state", id); }
        catch (NotFoundException) { return new RuntimeStatus(RuntimeState.Unknown, 0); }
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        var state = r.TryGetProperty("status", out var s) ? s.GetString() switch
        {
            "created" => RuntimeState.Created,
            "running" => RuntimeState.Running,
            "paused" => RuntimeState.Paused,
            "stopped" => RuntimeState.Stopped,
            _ => RuntimeState.Unknown,
        } : RuntimeState.Unknown;
        var pid = r.TryGetProperty("pid", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : 0;
        return new RuntimeStatus(state, state == RuntimeState.Stopped ? 0 : pid);
    }
}
