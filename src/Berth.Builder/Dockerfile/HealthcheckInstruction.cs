using Berth.Api.Models.Containers;

namespace Berth.Builder.Dockerfile;

/// <summary>HEALTHCHECK: <c>Test</c> is <c>["NONE"]</c>, <c>["CMD", …]</c> or <c>["CMD-SHELL", "…"]</c>; durations in nanoseconds.</summary>
public sealed class HealthcheckInstruction : Instruction
{
    public required HealthConfig Health { get; init; }
}
