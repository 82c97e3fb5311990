namespace Berth.Builder.Dockerfile;

public sealed class ArgInstruction : Instruction
{
    public required List<ArgDefinition> Args { get; init; }
}
