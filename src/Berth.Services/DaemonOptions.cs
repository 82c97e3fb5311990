namespace Berth.Services;

/// <summary>Daemon-wide settings the services need (from berthd's flags).</summary>
public sealed record DaemonOptions(
    string DataRoot,
    string ExecRoot,
    string RuntimeName = "crun",
    long LogMaxSizeBytes = 20 * 1024 * 1024,
    string EngineVersion = "28.2.2",
    string DaemonName = "berth",
    string LogDriver = "json-file",
    IReadOnlyDictionary<string, string>? LogOpts = null);
