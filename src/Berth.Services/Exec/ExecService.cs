using System.Collections.Concurrent;
using Berth.Api.Models.Exec;
using Berth.Core.Errors;
using Berth.Core.Ids;
using Berth.Runtime;
using Berth.Services.Containers;
using Berth.Services.Events;

namespace Berth.Services.Exec;

/// <summary>Exec instances: create, start (attached over a hijacked connection or detached), inspect, resize.</summary>
public sealed class ExecService
{
    private readonly ConcurrentDictionary<string, ExecSession> _sessions = new(StringComparer.Ordinal);
    private readonly ContainerService _containers;
    private readonly IContainerRuntime _runtime;
    private readonly EventHub _events;

    public ExecService(ContainerService containers, IContainerRuntime runtime, EventHub events)
    {
        _containers = containers; _runtime = runtime; _events = events;
        containers.ExecIdsOf = id => { var ids = _sessions.Values.Where(s => s.ContainerId == id).Select(s => s.Id).ToList(); return ids.Count == 0 ? null : ids; };
        containers.ContainerRemoved += id => { foreach (var s in _sessions.Values.Where(s => s.ContainerId == id)) _sessions.TryRemove(s.Id, out _); };
    }

    public string Create(string containerIdOrName, ExecConfig config)
    {
        var c = _containers.Get(containerIdOrName);
        if (config.Cmd is null || config.Cmd.Count == 0) throw new InvalidArgumentException("No exec command specified");
        if (c.Doc.State.Paused) throw new ConflictException($"Container {c.Id} is paused, unpause the container before exec");
        if (!c.Doc.State.Running) throw new ConflictException($"container {c.Id} is not running");
        var session = new ExecSession(IdGenerator.NewId(), c.Id, config);
        _sessions[session.Id] = session;
        _events.Publish("container", "exec_create: " + string.Join(' ', config.Cmd), c.Id, _containers.Attributes(c, ("execID", session.Id)));
        return session.Id;
    }

    public ExecSession Get(string id) => _sessions.TryGetValue(id, out var s) ? s : throw new NotFoundException($"No such exec instance: {id}");

    public ExecInspectResponse Inspect(string id)
    {
        var s = Get(id);
        var cmd = s.Config.Cmd ?? [];
        return new ExecInspectResponse
        {
            ID = s.Id,
            ContainerID = s.ContainerId,
            Running = s.Running,
            ExitCode = s.ExitCode,
            Pid = s.Pid,
            CanRemove = false,
            OpenStdin = s.Config.AttachStdin,
            OpenStdout = s.Config.AttachStdout,
            OpenStderr = s.Config.AttachStderr,
            DetachKeys = s.Config.DetachKeys ?? "",
            ProcessConfig = new ProcessConfig { Tty = s.Config.Tty, Privileged = s.Config.Privileged, User = s.Config.User ?? "", Entrypoint = cmd.FirstOrDefault() ?? "", Arguments = cmd.Skip(1).ToList() },
        };
    }

    /// <summary>Validates a start before the connection is hijacked.</summary>
    public ExecSession PrepareStart(string id)
    {
        var s = Get(id);
        lock (s)
        {
            if (s.Started) throw new ConflictException($"Error: Exec command {id} has already run");
            var c = _containers.Get(s.ContainerId);
            if (c.Doc.State.Paused) throw new ConflictException($"Container {c.Id} is paused, unpause the container before exec");
            if (!c.Doc.State.Running) throw new ConflictException($"container {c.Id} is not running");
            s.Started = true;
        }
        return s;
    }

    public async Task<IExecProcess> LaunchAsync(ExecSession s, CancellationToken ct)
    {
        var c = _containers.Get(s.ContainerId);
        var cfg = s.Config;
        var env = ConfigMerger.MergeEnv(c.Doc.Config.Env, cfg.Env);
        if (cfg.Tty && !env.Any(e => e.StartsWith("TERM=", StringComparison.Ordinal))) env.Add("TERM=xterm");
        var size = cfg.ConsoleSize is { Count: 2 } cs && cs[0] > 0 ? cs : null;
        var spec = new ProcessSpec(cfg.Cmd!, env, string.IsNullOrEmpty(cfg.WorkingDir) ? (string.IsNullOrEmpty(c.Doc.Config.WorkingDir) ? "/" : c.Doc.Config.WorkingDir) : cfg.WorkingDir,
            string.IsNullOrEmpty(cfg.User) ? c.Doc.Config.User ?? "" : cfg.User, c.Doc.HostConfig.GroupAdd, size?[0], size?[1]);
        IExecProcess process;
        try
        {
            process = await _runtime.ExecAsync(c.Id, spec, cfg.Tty, cfg.AttachStdin, cfg.Privileged, ct);
        }
        catch (Exception ex) when (ex is not EngineException)
        {
            s.ExitCode = 126;
            throw new InvalidArgumentException($"OCI runtime exec failed: {ex.Message}", ex);
        }
        s.Process = process;
        s.Pid = process.Pid;
        s.Running = true;
        _events.Publish("container", "exec_start: " + string.Join(' ', cfg.Cmd!), c.Id, _containers.Attributes(c, ("execID", s.Id)));
        _ = process.ExitCode.ContinueWith(t => OnExit(s, c, t.IsCompletedSuccessfully ? t.Result : 126), TaskScheduler.Default);
        return process;
    }

    private void OnExit(ExecSession s, Container c, int code)
    {
        s.ExitCode = code;
        s.Running = false;
        _events.Publish("container", "exec_die", c.Id, _containers.Attributes(c, ("execID", s.Id), ("exitCode", code.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    /// <summary>Runs an attached exec: stdin from the client, stdout/stderr back (framed unless TTY); the exit code is recorded before the stream ends.</summary>
    public async Task RunAttachedAsync(ExecSession s, IExecProcess process, Stream client, Action shutdownWrite, CancellationToken ct)
    {
        var raw = s.Config.Tty;
        var writeLock = new SemaphoreSlim(1, 1);
        async Task Pump(Stream source, int streamId)
        {
            var buffer = new byte[16 * 1024];
            while (true)
            {
                int n;
                try { n = await source.ReadAsync(buffer, ct); }
                catch (IOException) { break; }
                if (n == 0) break;
                await writeLock.WaitAsync(ct);
                try
                {
                    await StreamFrames.WriteAsync(client, streamId, buffer.AsMemory(0, n), raw, ct);
                    await client.FlushAsync(ct);
                }
                finally
                {
                    writeLock.Release();
                }
            }
        }
        var stdin = s.Config.AttachStdin && process.Stdin is { } input ? PumpStdinAsync(client, input, ct) : Task.CompletedTask;
        try
        {
            var outputs = new List<Task> { Pump(process.Stdout, 1) };
            if (process.Stderr is { } err) outputs.Add(Pump(err, 2));
            await Task.WhenAll(outputs);
            await process.ExitCode.WaitAsync(ct);
            // The CLI reads the exit code with exec inspect right after EOF: it must be recorded first.
            var deadline = DateTime.UtcNow.AddSeconds(2);
            while (s.Running && DateTime.UtcNow < deadline) await Task.Delay(1, ct);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The client went away; the process keeps running as Docker's would, and keeps its pipes until it exits.
            try { shutdownWrite(); } catch (IOException) { } // the client may be gone already
            _ = ReleaseAtExitAsync(s, process);
            return;
        }
        try { shutdownWrite(); } catch (IOException) { } // the client may be gone already
        _ = stdin;
        await ReleaseAsync(s, process);
    }

    /// <summary>
    /// A detached exec: nobody reads its output, so drain it (a full pipe would stall the process) and release its
    /// pipes and pty when it exits, instead of leaving them to a garbage collection.
    /// </summary>
    public void RunDetached(ExecSession s, IExecProcess process)
    {
        _ = Task.Run(async () =>
        {
            var drains = new List<Task> { process.Stdout.CopyToAsync(Stream.Null) };
            if (process.Stderr is { } err) drains.Add(err.CopyToAsync(Stream.Null));
            try
            {
                process.Stdin?.Close();
                await Task.WhenAll(drains);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // A pty reports EIO once the process is gone: the output has ended either way.
            }
            await ReleaseAtExitAsync(s, process);
        });
    }

    private static async Task ReleaseAtExitAsync(ExecSession s, IExecProcess process)
    {
        try { await process.ExitCode; }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException) { }
        await ReleaseAsync(s, process);
    }

    private static async Task ReleaseAsync(ExecSession s, IExecProcess process)
    {
        s.Process = null;
        try { await process.DisposeAsync(); }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException) { }
    }

    private static async Task PumpStdinAsync(Stream client, Stream stdin, CancellationToken ct)
    {
        var buffer = new byte[8192];
        try
        {
            while (true)
            {
                var n = await client.ReadAsync(buffer, ct);
                if (n == 0) break;
                await stdin.WriteAsync(buffer.AsMemory(0, n), ct);
                await stdin.FlushAsync(ct);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException) { }
        finally
        {
            try { stdin.Close(); } catch (IOException) { } // the process may have exited and closed its end
        }
    }

    public async Task ResizeAsync(string id, int height, int width, CancellationToken ct)
    {
        var s = Get(id);
        if (s.Process is not { } process) throw new ConflictException($"Exec {id} is not running");
        await process.ResizeAsync(height, width, ct);
    }
}
