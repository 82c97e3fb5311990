namespace Berth.Builder.Dockerfile;

public sealed class LabelInstruction : Instruction
{
    public required List<KeyValue> Pairs { get; init; }
}
