namespace Berth.Runtime;

/// <summary>How a container ended. ExitCode is 128+signal for a signal-killed process.</summary>
public sealed record ContainerExit(string Id, int ExitCode, bool OomKilled, DateTimeOffset FinishedAt);
