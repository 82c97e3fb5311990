namespace Berth.Builder.Dockerfile;

public sealed class EnvInstruction : Instruction
{
    public required List<KeyValue> Pairs { get; init; }
}
