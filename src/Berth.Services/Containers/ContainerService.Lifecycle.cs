using Berth.Api.Models.Containers;
using Berth.Core.Errors;
using Berth.Runtime;
using Berth.Storage;

namespace Berth.Services.Containers;

public sealed partial class ContainerService
{
    private static readonly TimeSpan AttachConnectGrace = TimeSpan.FromSeconds(2);

    public async Task StartAsync(string idOrName, CancellationToken ct)
    {
        var c = Get(idOrName);
        await c.Lock.WaitAsync(ct);
        try
        {
            if (c.Doc.State.Paused) throw new ConflictException("cannot start a paused container, try unpause instead");
            if (c.Doc.State.Running) throw new NotModifiedException();
            if (c.Doc.State.Status == "removing") throw new ConflictException($"container is marked for removal and cannot be started");
            ResetRestartState(c);
            await StartLockedAsync(c, ct);
        }
        finally
        {
            c.Lock.Release();
        }
    }

    private async Task StartLockedAsync(Container c, CancellationToken ct)
    {
        var d = c.Doc;
        c.ArmForRun();
        // From here on the caller's token no longer matters: a half-started container must be cleaned up or finished.
        ct = CancellationToken.None;
        var trace = StartTrace.Begin(Trace);
        try
        {
            await MountRootfsAsync(d);
            trace.Mark("rootfs");
            if (Networks is not null) await Networks.PrepareAsync(d, ct);
            trace.Mark("net-prepare");
            var launch = LaunchBuilder.Build(d, this);
            var pid = await _runtime.CreateAsync(launch, ct);
            trace.Mark("runtime-create");
            if (Networks is not null) await Networks.AttachAsync(d, pid, ct);
            trace.Mark("net-attach");
            d.RuntimeActive = true;
            c.SignalRuntimeCreated();
            await WaitForAttachersAsync(c);
            trace.Mark("attachers");
            await _runtime.StartAsync(d.Id, ct);
            trace.Mark("runtime-start");
            d.State = new ContainerState
            {
                Status = "running",
                Running = true,
                Pid = pid,
                StartedAt = Timestamps.Format(_time.GetUtcNow()),
                FinishedAt = d.State.FinishedAt,
                Health = d.Config.Healthcheck is { Test.Count: > 0 } hc && hc.Test[0] != "NONE" ? new Health() : null,
            };
            Persist(c);
            _events.Publish("container", "start", d.Id, Attributes(c));
            trace.Mark("persist");
            trace.End($"start {d.Id[..12]}");
        }
        catch (Exception ex)
        {
            var message = ex is EngineException ? ex.Message : "failed to create task for container: " + ex.Message;
            d.State.Error = message;
            d.State.ExitCode = message.Contains("executable file not found", StringComparison.Ordinal) || message.Contains("no such file or directory", StringComparison.Ordinal) ? 127
                : message.Contains("permission denied", StringComparison.Ordinal) ? 126 : 128;
            await TeardownRuntimeAsync(d);
            Persist(c);
            c.SignalExit(d.State.ExitCode);
            if (d.HostConfig.AutoRemove) _ = Task.Run(() => RemoveAsync(d.Id, force: true, removeVolumes: true, CancellationToken.None), CancellationToken.None);
            throw ex is EngineException ? ex : new InvalidArgumentException(message, ex);
        }
    }

    private async Task WaitForAttachersAsync(Container c)
    {
        var deadline = _time.GetUtcNow() + AttachConnectGrace;
        while (Volatile.Read(ref c.ConnectedAttaches) < Volatile.Read(ref c.PendingAttaches) && _time.GetUtcNow() < deadline)
            await Task.Delay(1);
    }

    private async Task MountRootfsAsync(ContainerDocument d)
    {
        if (MountPoints.IsMountPoint(d.RootfsDir)) return;
        var lowers = d.TopChainId is null ? [] : _layers.LowerDirs(d.TopChainId).ToList();
        if (lowers.Count == 0)
        {
            // overlayfs needs a lower layer; an image with no layers gets an empty one.
            var empty = Path.Combine(_root.ContainerDir(d.Id), "empty");
            Directory.CreateDirectory(empty);
            lowers.Add(empty);
        }
        RootfsMounter.MountOverlay(lowers, d.UpperDir, d.WorkDir, d.RootfsDir);
        await Task.CompletedTask;
    }

    private async Task TeardownRuntimeAsync(ContainerDocument d)
    {
        var trace = StartTrace.Begin(Trace);
        // The rootfs unmount waits out an RCU grace period in the kernel (measured 25 ms on a loaded machine) and the
        // runtime's delete is a process: neither needs the other (the container's own mount namespace holds its root,
        // and a detached overlay is not reachable from ours), so they overlap.
        var unmount = Task.Run(() =>
        {
            try { if (MountPoints.IsMountPoint(d.RootfsDir)) RootfsMounter.Unmount(d.RootfsDir); }
            catch (Exception ex) { _log($"unmount {d.RootfsDir}: {ex.Message}"); } // best effort: a busy mount is detached lazily
        }, CancellationToken.None);
        try { await _runtime.DeleteAsync(d.Id, CancellationToken.None); }
        catch (Exception ex) { _log($"runtime delete {d.Id}: {ex.Message}"); } // best effort: the container is gone or never existed
        trace.Mark("runtime-delete");
        if (Networks is not null) await Networks.ReleaseAsync(d);
        trace.Mark("net-release");
        await unmount;
        trace.Mark("unmount");
        d.RuntimeActive = false;
        ReleaseVolumes(d.Id);
        trace.End($"teardown {d.Id[..12]}");
    }

    private async Task OnExitedAsync(ContainerExit exit)
    {
        var c = TryGet(exit.Id);
        if (c is null || c.Id != exit.Id) return;
        await c.Lock.WaitAsync();
        try
        {
            if (!c.Doc.RuntimeActive) return; // already handled (duplicate notification or recovery)
            await HandleExitLockedAsync(c, exit);
        }
        finally
        {
            c.Lock.Release();
        }
        if (c.Doc.HostConfig.AutoRemove) await RemoveAsync(c.Id, force: true, removeVolumes: true, CancellationToken.None);
    }

    private async Task HandleExitLockedAsync(Container c, ContainerExit exit)
    {
        var d = c.Doc;
        var trace = StartTrace.Begin(Trace);
        var execDuration = ExecDurationSeconds(d, exit);
        var restartDelay = ApplyExitState(c, exit);
        await TeardownRuntimeAsync(d);
        trace.Mark("teardown");
        Persist(c);
        if (exit.OomKilled) _events.Publish("container", "oom", d.Id, Attributes(c));
        _events.Publish("container", "die", d.Id, Attributes(c, ("exitCode", exit.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("execDuration", execDuration)));
        c.SignalExit(exit.ExitCode);
        trace.Mark("persist");
        trace.End($"exit {d.Id[..12]}");
        if (restartDelay is { } delay) ScheduleRestart(c, delay);
    }

    public async Task StopAsync(string idOrName, int? timeoutSeconds, string? signal, CancellationToken ct)
    {
        var c = Get(idOrName);
        if (!c.Doc.State.Running) throw new NotModifiedException();
        var sig = Signals.Parse(signal ?? c.Doc.Config.StopSignal, Signals.Term);
        var timeout = timeoutSeconds ?? c.Doc.Config.StopTimeout ?? 10;
        MarkManuallyStopped(c);
        await StopCoreAsync(c, sig, timeout);
        _events.Publish("container", "stop", c.Id, Attributes(c));
    }

    private async Task StopCoreAsync(Container c, int signal, int timeoutSeconds)
    {
        if (await StopPendingRestartAsync(c)) return;
        var exited = c.NextExit;
        if (c.Doc.State.Paused) await _runtime.ResumeAsync(c.Id, CancellationToken.None);
        if (signal != Signals.Kill && timeoutSeconds != 0)
        {
            await SendSignalAsync(c, signal);
            if (timeoutSeconds < 0) { await exited; return; }
            if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(timeoutSeconds))) == exited) return;
        }
        if (exited.IsCompleted) return;
        await SendSignalAsync(c, Signals.Kill);
        if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(30))) != exited)
            throw new EngineException(ErrorKind.Unknown, $"container {c.Id} did not exit after SIGKILL");
    }

    private async Task SendSignalAsync(Container c, int signal)
    {
        _events.Publish("container", "kill", c.Id, Attributes(c, ("signal", signal.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        try { await _runtime.KillAsync(c.Id, signal, CancellationToken.None); }
        catch (Exception ex) when (!c.Doc.State.Running) { _log($"kill {c.Id}: {ex.Message} (already exited)"); }
    }

    public async Task KillAsync(string idOrName, string? signal, CancellationToken ct)
    {
        var c = Get(idOrName);
        var sig = Signals.Parse(signal, Signals.Kill);
        if (!c.Doc.State.Running) throw new ConflictException($"Cannot kill container: {idOrName}: container {c.Id} is not running");
        MarkManuallyStopped(c);
        // A container between policy restarts has no process: canceling the restart is the whole kill (moby).
        if (await StopPendingRestartAsync(c)) return;
        await SendSignalAsync(c, sig);
        if (sig == Signals.Kill) await Task.WhenAny(c.NextExit, Task.Delay(TimeSpan.FromSeconds(10), ct));
    }

    public async Task RestartAsync(string idOrName, int? timeoutSeconds, string? signal, CancellationToken ct)
    {
        var c = Get(idOrName);
        if (c.Doc.State.Running)
        {
            MarkManuallyStopped(c);
            await StopCoreAsync(c, Signals.Parse(signal ?? c.Doc.Config.StopSignal, Signals.Term), timeoutSeconds ?? c.Doc.Config.StopTimeout ?? 10);
            _events.Publish("container", "stop", c.Id, Attributes(c)); // moby's restart goes through containerStop
        }
        await c.Lock.WaitAsync(ct);
        try
        {
            if (!c.Doc.State.Running)
            {
                ResetRestartState(c);
                await StartLockedAsync(c, ct);
            }
        }
        finally
        {
            c.Lock.Release();
        }
        _events.Publish("container", "restart", c.Id, Attributes(c));
    }

    public async Task PauseAsync(string idOrName, CancellationToken ct)
    {
        var c = Get(idOrName);
        await c.Lock.WaitAsync(ct);
        try
        {
            if (!c.Doc.State.Running) throw new ConflictException($"Container {c.Id} is not running");
            if (c.Doc.State.Paused) throw new ConflictException($"Container {c.Id} is already paused");
            await _runtime.PauseAsync(c.Id, ct);
            c.Doc.State.Paused = true;
            c.Doc.State.Status = "paused";
            Persist(c);
        }
        finally
        {
            c.Lock.Release();
        }
        _events.Publish("container", "pause", c.Id, Attributes(c));
    }

    public async Task UnpauseAsync(string idOrName, CancellationToken ct)
    {
        var c = Get(idOrName);
        await c.Lock.WaitAsync(ct);
        try
        {
            if (!c.Doc.State.Paused) throw new ConflictException($"Container {c.Id} is not paused");
            await _runtime.ResumeAsync(c.Id, ct);
            c.Doc.State.Paused = false;
            c.Doc.State.Status = "running";
            Persist(c);
        }
        finally
        {
            c.Lock.Release();
        }
        _events.Publish("container", "unpause", c.Id, Attributes(c));
    }

    public Task RemoveAsync(string idOrName, bool force, CancellationToken ct) => RemoveAsync(idOrName, force, removeVolumes: false, ct);

    /// <summary>Removes a container; <paramref name="removeVolumes"/> (<c>rm -v</c>, <c>--rm</c>) also removes its anonymous volumes.</summary>
    public async Task RemoveAsync(string idOrName, bool force, bool removeVolumes, CancellationToken ct)
    {
        var c = Get(idOrName);
        if (c.Doc.State.Running)
        {
            if (!force && c.Doc.State.Restarting) throw new ConflictException("You cannot remove a restarting container. Stop the container before attempting removal or force remove");
            if (!force) throw new ConflictException($"cannot remove container \"{c.Doc.Name}\": container is running: stop the container before removing or force remove");
            Restarts.Cancel(c.Id);
            await StopCoreAsync(c, Signals.Kill, 0);
        }
        await c.Lock.WaitAsync(CancellationToken.None);
        try
        {
            if (!_byId.ContainsKey(c.Id)) return; // removed concurrently (e.g. AutoRemove racing rm -f)
            if (c.Doc.State.Running) throw new ConflictException($"cannot remove container \"{c.Doc.Name}\": container is running: stop the container before removing or force remove");
            c.Doc.State.Status = "removing";
            var trace = StartTrace.Begin(Trace);
            if (c.Doc.RuntimeActive || MountPoints.IsMountPoint(c.Doc.RootfsDir)) await TeardownRuntimeAsync(c.Doc);
            trace.Mark("teardown");
            // Never hand a tree with a live mount in it to the trash: deleting it would reach into the image layers.
            if (MountPoints.IsMountPoint(c.Doc.RootfsDir)) throw new ConflictException($"container {c.Id}: its root filesystem is still mounted");
            _meta.DeleteContainer(c.Id);
            _trash.Discard(_root.ContainerDir(c.Id));
            _byId.TryRemove(c.Id, out _);
            ReleaseName(c.Doc.Name);
            Restarts.Forget(c.Id);
            trace.Mark("delete");
            trace.End($"remove {c.Id[..12]}");
        }
        finally
        {
            c.Lock.Release();
        }
        if (removeVolumes) RemoveAnonymousVolumes(c.Doc);
        ContainerRemoved?.Invoke(c.Id);
        _events.Publish("container", "destroy", c.Id, Attributes(c));
        c.SignalRemoved();
    }

    /// <summary>Raised after a container is gone, so the exec service can drop its execs.</summary>
    public event Action<string>? ContainerRemoved;

    public async Task<ContainerWaitResponse> WaitAsync(string idOrName, string? condition, CancellationToken ct)
    {
        var c = Get(idOrName);
        switch (condition)
        {
            case null or "" or "not-running":
                if (!c.Doc.State.Running) return Result(c);
                await c.NextExit.WaitAsync(ct);
                return Result(c);
            case "next-exit":
                if (!c.Doc.State.Running && c.NextExit.IsCompleted) c.ArmForRun();
                var code = await c.NextExit.WaitAsync(ct);
                return new ContainerWaitResponse { StatusCode = code, Error = ErrorOf(c) };
            case "removed":
                await c.Removed.WaitAsync(ct);
                return Result(c);
            default:
                throw new InvalidArgumentException($"invalid condition: \"{condition}\"");
        }

        static ContainerWaitResponse Result(Container c) => new() { StatusCode = c.Doc.State.ExitCode, Error = ErrorOf(c) };
        static WaitError? ErrorOf(Container c) => string.IsNullOrEmpty(c.Doc.State.Error) ? null : new WaitError { Message = c.Doc.State.Error };
    }

    public async Task<ContainerUpdateResponse> UpdateAsync(string idOrName, HostConfig update, CancellationToken ct)
    {
        var c = Get(idOrName);
        await c.Lock.WaitAsync(ct);
        try
        {
            var h = c.Doc.HostConfig;
            if (update.Memory != 0) h.Memory = update.Memory;
            if (update.MemorySwap != 0) h.MemorySwap = update.MemorySwap;
            if (update.NanoCpus != 0) h.NanoCpus = update.NanoCpus;
            if (update.CpuShares != 0) h.CpuShares = update.CpuShares;
            if (update.CpuQuota != 0) h.CpuQuota = update.CpuQuota;
            if (update.CpuPeriod != 0) h.CpuPeriod = update.CpuPeriod;
            if (!string.IsNullOrEmpty(update.CpusetCpus)) h.CpusetCpus = update.CpusetCpus;
            if (update.PidsLimit is not null and not 0) h.PidsLimit = update.PidsLimit;
            if (update.RestartPolicy is { Name.Length: > 0 }) h.RestartPolicy = update.RestartPolicy;
            ValidateHostConfig(h, Networks is not null);
            if (c.Doc.State.Running) await _runtime.UpdateAsync(c.Id, LaunchBuilder.Resources(h), ct);
            Persist(c);
        }
        finally
        {
            c.Lock.Release();
        }
        _events.Publish("container", "update", c.Id, Attributes(c));
        return new ContainerUpdateResponse();
    }

    /// <summary>Reconciles persisted containers with the runtime after a daemon (re)start: running ones keep running, exits that happened while we were down are recorded.</summary>
    public async Task RecoverAsync(CancellationToken ct)
    {
        foreach (var c in _byId.Values.ToList())
        {
            var d = c.Doc;
            if (!d.RuntimeActive)
            {
                await CleanUnrecordedStartAsync(d, ct);
                continue;
            }
            RuntimeStatus status;
            try { status = await _runtime.StatusAsync(d.Id, ct); }
            catch (Exception ex) { _log($"recover {d.Id}: {ex.Message}"); status = new RuntimeStatus(RuntimeState.Unknown, 0); }
            if (status.State is RuntimeState.Running or RuntimeState.Paused)
            {
                d.State.Running = true;
                d.State.Paused = status.State == RuntimeState.Paused;
                d.State.Status = d.State.Paused ? "paused" : "running";
                if (status.Pid > 0) d.State.Pid = status.Pid;
                if (Networks is not null) await Networks.RestoreAsync(d, d.State.Pid, ct);
                // The exit may have happened between the status query and now; the watcher covers later ones.
                var late = await _runtime.TryReadExitAsync(d.Id, ct);
                if (late is not null) await OnExitedAsync(late);
                continue;
            }
            var exit = await _runtime.TryReadExitAsync(d.Id, ct) ?? new ContainerExit(d.Id, 255, false, _time.GetUtcNow());
            await OnExitedAsync(exit);
        }
        RestartOnDaemonStart();
    }

    /// <summary>
    /// A kill -9 between mounting the rootfs (or creating the runtime container) and recording the start leaves a
    /// mount, maybe a created or even started container with its cgroup and veth, that no record owns: the start
    /// never happened as far as the client and the database know, so undo it.
    /// </summary>
    private async Task CleanUnrecordedStartAsync(ContainerDocument d, CancellationToken ct)
    {
        RuntimeStatus status;
        try { status = await _runtime.StatusAsync(d.Id, ct); }
        catch (Exception ex) { _log($"recover {d.Id}: {ex.Message}"); status = new RuntimeStatus(RuntimeState.Unknown, 0); }
        if (status.State == RuntimeState.Unknown && !MountPoints.IsMountPoint(d.RootfsDir)) return;
        _log($"recover {d.Id}: undoing a start the daemon was killed in ({status.State})");
        await TeardownRuntimeAsync(d);
    }
}
