namespace Berth.Builder.Dockerfile;

public sealed class RunInstruction : CommandLineInstruction
{
    /// <summary>Raw <c>--mount</c> values (<c>type=cache,target=/root/.cache</c>).</summary>
    public List<string> Mounts { get; init; } = [];
    public string? Network { get; init; }
    public string? Security { get; init; }

    /// <summary>Names of the flags given, in order (the classic builder rejects them).</summary>
    public List<string> FlagsUsed { get; init; } = [];
}
