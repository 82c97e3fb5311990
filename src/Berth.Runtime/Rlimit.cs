namespace Berth.Runtime;

/// <summary>A <c>--ulimit</c>: Name as Docker spells it (<c>nofile</c>, <c>nproc</c>, <c>core</c>…), -1 = unlimited.</summary>
public sealed record Rlimit(string Name, long Soft, long Hard);
