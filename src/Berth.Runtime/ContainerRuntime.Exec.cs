using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Runtime.Exec;
using Berth.Runtime.Oci;

namespace Berth.Runtime;

public sealed partial class ContainerRuntime
{
    public async Task<IExecProcess> ExecAsync(string id, ProcessSpec process, bool tty, bool attachStdin, bool privileged, CancellationToken ct)
    {
        var bundle = BundleOf(id) ?? throw new NotFoundException($"No such container: {id}");
        string rootfs;
        List<string> caps;
        bool noNewPrivileges;
        using (var cfg = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(bundle, "config.json"), ct)))
        {
            var root = cfg.RootElement;
            rootfs = root.GetProperty("root").GetProperty("path").GetString()!;
            var p = root.GetProperty("process");
            caps = [.. p.GetProperty("capabilities").GetProperty("bounding").EnumerateArray().Select(e => e.GetString()!)];
            noNewPrivileges = p.TryGetProperty("noNewPrivileges", out var nnp) && nnp.GetBoolean();
        }
        var spec = SpecBuilder.BuildProcess(process, rootfs, tty, privileged ? Capabilities.All : caps, noNewPrivileges, null, _specContext.Value);
        var tag = Guid.NewGuid().ToString("N")[..12];
        var persist = PersistDir(id);
        var processFile = Path.Combine(persist, $"exec-{tag}.json");
        var pidFile = Path.Combine(persist, $"exec-{tag}.pid");
        await File.WriteAllTextAsync(processFile, spec.ToJsonString(), ct);

        var psi = new ProcessStartInfo(_cli.Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--root=" + _cli.Root, "exec", "--process=" + processFile, "--pid-file=" + pidFile }) psi.ArgumentList.Add(a);

        Socket? listener = null;
        string? socketPath = null;
        if (tty)
        {
            // The runtime hands us the pty master over this socket; we keep it to relay I/O and to resize.
            socketPath = Path.Combine(ExecSocketDir, tag + ".sock");
            listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(1);
            psi.ArgumentList.Add("--tty");
            psi.ArgumentList.Add("--console-socket=" + socketPath);
        }
        psi.ArgumentList.Add(id);

        Process? proc = null;
        try
        {
            proc = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {_cli.Path}");
            if (tty)
            {
                var pty = await ReceivePtyAsync(listener!, proc, ct);
                // crun's own stdio only carries its error messages now; keep draining them so it never blocks.
                proc.StandardInput.Close();
                var errors = proc.StandardError.ReadToEndAsync(CancellationToken.None);
                _ = proc.StandardOutput.ReadToEndAsync(CancellationToken.None);
                var pid = await WaitPidFileAsync(pidFile, proc, ct);
                if (pid == 0 && proc.HasExited && proc.ExitCode != 0)
                {
                    pty.Dispose();
                    throw new EngineException(ErrorKind.Unknown, $"exec failed: {(await errors).Trim()}");
                }
                return new ExecProcess(proc, pid, pty, attachStdin ? new PtyStream(pty.Fd, ownsFd: false) : null, pty, null,
                    [processFile, pidFile, socketPath!]);
            }
            Stream? stdin = proc.StandardInput.BaseStream;
            if (!attachStdin)
            {
                proc.StandardInput.Close();
                stdin = null;
            }
            var execPid = await WaitPidFileAsync(pidFile, proc, ct);
            return new ExecProcess(proc, execPid, null, stdin, proc.StandardOutput.BaseStream, proc.StandardError.BaseStream, [processFile, pidFile]);
        }
        catch
        {
            if (proc is { HasExited: false }) proc.Kill();
            proc?.Dispose();
            TryDelete(processFile);
            throw;
        }
        finally
        {
            listener?.Dispose();
        }
    }

    private static async Task<PtyStream> ReceivePtyAsync(Socket listener, Process proc, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        var accept = listener.AcceptAsync(cts.Token).AsTask();
        var exited = proc.WaitForExitAsync(cts.Token);
        if (await Task.WhenAny(accept, exited) != accept)
        {
            cts.Cancel();
            var err = await proc.StandardError.ReadToEndAsync(CancellationToken.None);
            throw new EngineException(ErrorKind.Unknown, $"exec failed: {err.Trim()}");
        }
        using var conn = await accept;
        var fd = Interop.Libc.ReceiveFd((int)conn.Handle);
        return new PtyStream(fd, ownsFd: true);
    }

    private static async Task<int> WaitPidFileAsync(string pidFile, Process proc, CancellationToken ct)
    {
        // The runtime writes the pid file once the process exists; a process that failed to start leaves none.
        for (var i = 0; i < 2000; i++)
        {
            if (ReadInt(pidFile) is { } pid and > 0) return pid;
            if (proc.HasExited) return ReadInt(pidFile) ?? 0;
            await Task.Delay(2, ct);
        }
        return 0;
    }
}
