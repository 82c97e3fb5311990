namespace Berth.Builder.Dockerfile;

/// <summary>ONBUILD: the trigger is stored as text and parsed when a child image's FROM runs it.</summary>
public sealed class OnbuildInstruction : Instruction
{
    public required string Expression { get; init; }
}
