namespace Berth.Services.Logs;

/// <summary>The query of <c>GET /containers/{id}/logs</c>.</summary>
public sealed record LogOptions(bool Stdout, bool Stderr, bool Follow, bool Timestamps, DateTimeOffset? Since, DateTimeOffset? Until, int? Tail);
