using Berth.Api.Models.Exec;
using Berth.Runtime;

namespace Berth.Services.Exec;

/// <summary>An exec instance: created, then started once; its exit code is recorded before its stream closes.</summary>
public sealed class ExecSession(string id, string containerId, ExecConfig config)
{
    public string Id { get; } = id;
    public string ContainerId { get; } = containerId;
    public ExecConfig Config { get; } = config;
    public bool Started { get; set; }
    public bool Running { get; set; }
    public int? ExitCode { get; set; }
    public int Pid { get; set; }
    public IExecProcess? Process { get; set; }
    public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;
}
