namespace Berth.Builder.Dockerfile;

public sealed class MaintainerInstruction : Instruction
{
    public required string Maintainer { get; init; }
}
