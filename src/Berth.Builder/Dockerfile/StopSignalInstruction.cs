namespace Berth.Builder.Dockerfile;

public sealed class StopSignalInstruction : Instruction
{
    public required string Signal { get; set; }
}
