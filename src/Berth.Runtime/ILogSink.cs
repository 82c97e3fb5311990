namespace Berth.Runtime;

/// <summary>Where the runtime reports things worth a log line (best-effort cleanup failures, cgroup fixes).</summary>
public interface ILogSink
{
    void Write(string message);
}
