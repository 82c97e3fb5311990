namespace Berth.Builder.Dockerfile;

public sealed class ExposeInstruction : Instruction
{
    public required List<string> Ports { get; init; }
}
