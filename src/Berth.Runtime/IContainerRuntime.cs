namespace Berth.Runtime;

/// <summary>
/// Runs containers through berth-monitor and an OCI runtime. Lifecycle: Create (config.json written, berth-monitor started, container
/// created but not started) → Attach (optional, before Start to see all output) → Start → exit (exit file, <see cref="Exited"/>)
/// → Delete. Containers outlive the daemon: a new instance finds them through the runtime state and the monitors' exit files.
/// </summary>
public interface IContainerRuntime
{
    /// <summary>Raised once per container exit, from a thread-pool thread, for every exit observed after initialization.</summary>
    event Action<ContainerExit>? Exited;

    Task<int> CreateAsync(ContainerLaunch launch, CancellationToken ct);

    Task StartAsync(string id, CancellationToken ct);

    Task KillAsync(string id, int signal, CancellationToken ct);

    Task PauseAsync(string id, CancellationToken ct);

    Task ResumeAsync(string id, CancellationToken ct);

    /// <summary>Force-deletes the container and removes runtime and monitor state; idempotent.</summary>
    Task DeleteAsync(string id, CancellationToken ct);

    Task UpdateAsync(string id, ResourceLimits limits, CancellationToken ct);

    Task<IReadOnlyList<int>> ListPidsAsync(string id, CancellationToken ct);

    Task<RuntimeStatus> StatusAsync(string id, CancellationToken ct);

    Task<ContainerExit?> TryReadExitAsync(string id, CancellationToken ct);

    Task<IAttachConnection> AttachAsync(string id, CancellationToken ct);

    /// <summary>Asks the monitor to reopen the container's log file (after the daemon renamed it away to rotate it).</summary>
    Task ReopenLogAsync(string id, CancellationToken ct);

    Task ResizeAsync(string id, int height, int width, CancellationToken ct);

    Task<IExecProcess> ExecAsync(string id, ProcessSpec process, bool tty, bool attachStdin, bool privileged, CancellationToken ct);
}
