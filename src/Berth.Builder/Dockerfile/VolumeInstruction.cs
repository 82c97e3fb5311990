namespace Berth.Builder.Dockerfile;

public sealed class VolumeInstruction : Instruction
{
    public required List<string> Volumes { get; init; }
}
