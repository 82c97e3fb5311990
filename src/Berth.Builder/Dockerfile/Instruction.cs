namespace Berth.Builder.Dockerfile;

/// <summary>One typed Dockerfile instruction. <see cref="Code"/> is the instruction as written (what "Step n/m : …" prints).</summary>
public abstract class Instruction
{
    public string Keyword { get; init; } = "";
    public string Code { get; init; } = "";
    public int Line { get; init; }

    public override string ToString() => Code;
}
