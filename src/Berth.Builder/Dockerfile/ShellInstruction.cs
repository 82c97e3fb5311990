namespace Berth.Builder.Dockerfile;

public sealed class ShellInstruction : Instruction
{
    public required List<string> Shell { get; init; }
}
