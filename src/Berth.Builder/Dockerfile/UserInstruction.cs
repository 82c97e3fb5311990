namespace Berth.Builder.Dockerfile;

public sealed class UserInstruction : Instruction
{
    public required string User { get; set; }
}
