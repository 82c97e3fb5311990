namespace Berth.Compose.Model;

public sealed record ServiceVolumeBind
{
    public string? Propagation { get; init; }

    /// <summary>Short syntax binds create a missing host path (docker compose sets create_host_path: true for them).</summary>
    public bool CreateHostPath { get; init; }

    /// <summary>"z" or "Z" when the short syntax carried an SELinux relabel option.</summary>
    public string? SELinux { get; init; }
}
