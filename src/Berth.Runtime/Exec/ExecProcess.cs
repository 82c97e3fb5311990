using System.Diagnostics;
using Berth.Runtime.Interop;

namespace Berth.Runtime.Exec;

/// <summary>A `crun exec` run in the foreground by the daemon: crun's exit code is the process's.</summary>
internal sealed class ExecProcess : IExecProcess
{
    private readonly Process _process;
    private readonly PtyStream? _pty;
    private readonly string[] _cleanupFiles;

    internal ExecProcess(Process process, int pid, PtyStream? pty, Stream? stdin, Stream stdout, Stream? stderr, string[] cleanupFiles)
    {
        _process = process;
        _pty = pty;
        _cleanupFiles = cleanupFiles;
        Pid = pid;
        Stdin = stdin;
        Stdout = stdout;
        Stderr = stderr;
        ExitCode = WaitAsync();
    }

    public int Pid { get; }

    public Stream? Stdin { get; }

    public Stream Stdout { get; }

    public Stream? Stderr { get; }

    public Task<int> ExitCode { get; }

    public Task ResizeAsync(int h, int w, CancellationToken ct)
    {
        if (_pty is { Fd: >= 0 } pty) Libc.SetWindowSize(pty.Fd, h, w);
        return Task.CompletedTask;
    }

    private async Task<int> WaitAsync()
    {
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (Stdin is not null) await Stdin.DisposeAsync();
        await Stdout.DisposeAsync();
        if (Stderr is not null) await Stderr.DisposeAsync();
        _pty?.Dispose();
        _process.Dispose();
        foreach (var f in _cleanupFiles)
        {
            try { File.Delete(f); }
            catch (IOException) { } // best effort: a leftover process.json in the state dir is harmless
        }
    }
}
