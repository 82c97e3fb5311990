namespace Berth.Builder.Dockerfile;

public sealed class WorkdirInstruction : Instruction
{
    public required string Path { get; set; }
}
